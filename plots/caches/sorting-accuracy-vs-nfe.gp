# sorting-accuracy-vs-nfe.gp: regenerate sorting-accuracy-vs-nfe.png and sorting-accuracy-vs-nfe.svg with `gnuplot sorting-accuracy-vs-nfe.gp` in this folder.
# Data: sorting-accuracy-vs-nfe.dat. Written by `dlab plot` (DiffusionLab).
set encoding utf8
set datafile separator "\t"
set terminal pngcairo size 1120,640 font "DejaVu Sans,11" noenhanced
set output "sorting-accuracy-vs-nfe.png"
set title "sorting: accuracy vs mean NFE"
set xlabel "mean forward passes per example (measured NFE, log2)"
set ylabel "accuracy (%), 95% Wilson interval"
set grid
set key outside right top vertical Left reverse
set offsets graph 0.03, graph 0.03, 0, 0
set logscale x 2
set format x "%g"
set yrange [-2:102]
plot "sorting-accuracy-vs-nfe.dat" index 0 using 1:2:3:4 with yerrorlines lc rgb "#0072B2" dt 1 lw 1.5 pt 7 ps 0.9 title "llada_low_confidence cache=none", \
     "sorting-accuracy-vs-nfe.dat" index 1 using 1:2:3:4 with yerrorlines lc rgb "#D55E00" dt 1 lw 1.5 pt 5 ps 0.9 title "llada_low_confidence cache=prefix", \
     "sorting-accuracy-vs-nfe.dat" index 2 using 1:2:3:4 with yerrorlines lc rgb "#009E73" dt 1 lw 1.5 pt 9 ps 0.9 title "llada_low_confidence cache=dual", \
     "sorting-accuracy-vs-nfe.dat" index 3 using 1:2:3:4 with yerrorlines lc rgb "#CC79A7" dt 1 lw 1.5 pt 11 ps 0.9 title "fast_dllm_threshold cache=none", \
     "sorting-accuracy-vs-nfe.dat" index 4 using 1:2:3:4 with yerrorlines lc rgb "#E69F00" dt 1 lw 1.5 pt 13 ps 0.9 title "fast_dllm_threshold cache=prefix", \
     "sorting-accuracy-vs-nfe.dat" index 5 using 1:2:3:4 with yerrorlines lc rgb "#56B4E9" dt 1 lw 1.5 pt 7 ps 0.9 title "fast_dllm_threshold cache=dual", \
     "sorting-accuracy-vs-nfe.dat" index 6 using 1:2 with steps dt 2 lw 2 lc rgb "black" title "Pareto frontier", \
     "sorting-accuracy-vs-nfe.dat" index 6 using 1:2 with points pt 6 ps 2 lc rgb "black" notitle
unset output
reset
set datafile separator "\t"
set terminal svg size 1120,640 font "DejaVu Sans,11" noenhanced background "white"
set output "sorting-accuracy-vs-nfe.svg"
set title "sorting: accuracy vs mean NFE"
set xlabel "mean forward passes per example (measured NFE, log2)"
set ylabel "accuracy (%), 95% Wilson interval"
set grid
set key outside right top vertical Left reverse
set offsets graph 0.03, graph 0.03, 0, 0
set logscale x 2
set format x "%g"
set yrange [-2:102]
plot "sorting-accuracy-vs-nfe.dat" index 0 using 1:2:3:4 with yerrorlines lc rgb "#0072B2" dt 1 lw 1.5 pt 7 ps 0.9 title "llada_low_confidence cache=none", \
     "sorting-accuracy-vs-nfe.dat" index 1 using 1:2:3:4 with yerrorlines lc rgb "#D55E00" dt 1 lw 1.5 pt 5 ps 0.9 title "llada_low_confidence cache=prefix", \
     "sorting-accuracy-vs-nfe.dat" index 2 using 1:2:3:4 with yerrorlines lc rgb "#009E73" dt 1 lw 1.5 pt 9 ps 0.9 title "llada_low_confidence cache=dual", \
     "sorting-accuracy-vs-nfe.dat" index 3 using 1:2:3:4 with yerrorlines lc rgb "#CC79A7" dt 1 lw 1.5 pt 11 ps 0.9 title "fast_dllm_threshold cache=none", \
     "sorting-accuracy-vs-nfe.dat" index 4 using 1:2:3:4 with yerrorlines lc rgb "#E69F00" dt 1 lw 1.5 pt 13 ps 0.9 title "fast_dllm_threshold cache=prefix", \
     "sorting-accuracy-vs-nfe.dat" index 5 using 1:2:3:4 with yerrorlines lc rgb "#56B4E9" dt 1 lw 1.5 pt 7 ps 0.9 title "fast_dllm_threshold cache=dual", \
     "sorting-accuracy-vs-nfe.dat" index 6 using 1:2 with steps dt 2 lw 2 lc rgb "black" title "Pareto frontier", \
     "sorting-accuracy-vs-nfe.dat" index 6 using 1:2 with points pt 6 ps 2 lc rgb "black" notitle
unset output
