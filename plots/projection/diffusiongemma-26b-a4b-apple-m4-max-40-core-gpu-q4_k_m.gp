# diffusiongemma-26b-a4b-apple-m4-max-40-core-gpu-q4_k_m.gp: regenerate diffusiongemma-26b-a4b-apple-m4-max-40-core-gpu-q4_k_m.png and diffusiongemma-26b-a4b-apple-m4-max-40-core-gpu-q4_k_m.svg with `gnuplot diffusiongemma-26b-a4b-apple-m4-max-40-core-gpu-q4_k_m.gp` in this folder.
# Data: diffusiongemma-26b-a4b-apple-m4-max-40-core-gpu-q4_k_m.dat. Written by `dlab plot` (DiffusionLab).
set encoding utf8
set datafile separator "\t"
set terminal pngcairo size 1400,620 font "DejaVu Sans,11" noenhanced
set output "diffusiongemma-26b-a4b-apple-m4-max-40-core-gpu-q4_k_m.png"
set multiplot layout 1,2 title "DiffusionGemma 26B-A4B on Apple M4 Max (40-core GPU), q4_k_m, context 1024 (roofline projection)" font ",13"
set logscale x 2
set format x "%g"
set logscale y 10
set grid
set xlabel "concurrent users"
set key bottom left box opaque
set arrow 1 from 1, graph 0 to 1, graph 1 nohead dt 2 lw 1.5 lc rgb "#555555"
set label 1 "AR+MTP ahead from 1 user" at 1, graph 0.96 left offset 0.5,0 font ",10"
set ylabel "tokens/s per user"
plot "diffusiongemma-26b-a4b-apple-m4-max-40-core-gpu-q4_k_m.dat" index 0 using 1:2 with lines lw 2.5 lc rgb "#0072B2" title "Gemma 4 AR", \
     "diffusiongemma-26b-a4b-apple-m4-max-40-core-gpu-q4_k_m.dat" index 1 using 1:2 with lines lw 2.5 lc rgb "#D55E00" title "Gemma 4 AR+MTP (k=3)", \
     "diffusiongemma-26b-a4b-apple-m4-max-40-core-gpu-q4_k_m.dat" index 2 using 1:2 with lines lw 2.5 lc rgb "#009E73" title "DiffusionGemma (canvas 256)"
set ylabel "tokens/s in total"
plot "diffusiongemma-26b-a4b-apple-m4-max-40-core-gpu-q4_k_m.dat" index 0 using 1:3 with lines lw 2.5 lc rgb "#0072B2" title "Gemma 4 AR", \
     "diffusiongemma-26b-a4b-apple-m4-max-40-core-gpu-q4_k_m.dat" index 1 using 1:3 with lines lw 2.5 lc rgb "#D55E00" title "Gemma 4 AR+MTP (k=3)", \
     "diffusiongemma-26b-a4b-apple-m4-max-40-core-gpu-q4_k_m.dat" index 2 using 1:3 with lines lw 2.5 lc rgb "#009E73" title "DiffusionGemma (canvas 256)"
unset multiplot
unset output
reset
set datafile separator "\t"
set terminal svg size 1400,620 font "DejaVu Sans,11" noenhanced background "white"
set output "diffusiongemma-26b-a4b-apple-m4-max-40-core-gpu-q4_k_m.svg"
set multiplot layout 1,2 title "DiffusionGemma 26B-A4B on Apple M4 Max (40-core GPU), q4_k_m, context 1024 (roofline projection)" font ",13"
set logscale x 2
set format x "%g"
set logscale y 10
set grid
set xlabel "concurrent users"
set key bottom left box opaque
set arrow 1 from 1, graph 0 to 1, graph 1 nohead dt 2 lw 1.5 lc rgb "#555555"
set label 1 "AR+MTP ahead from 1 user" at 1, graph 0.96 left offset 0.5,0 font ",10"
set ylabel "tokens/s per user"
plot "diffusiongemma-26b-a4b-apple-m4-max-40-core-gpu-q4_k_m.dat" index 0 using 1:2 with lines lw 2.5 lc rgb "#0072B2" title "Gemma 4 AR", \
     "diffusiongemma-26b-a4b-apple-m4-max-40-core-gpu-q4_k_m.dat" index 1 using 1:2 with lines lw 2.5 lc rgb "#D55E00" title "Gemma 4 AR+MTP (k=3)", \
     "diffusiongemma-26b-a4b-apple-m4-max-40-core-gpu-q4_k_m.dat" index 2 using 1:2 with lines lw 2.5 lc rgb "#009E73" title "DiffusionGemma (canvas 256)"
set ylabel "tokens/s in total"
plot "diffusiongemma-26b-a4b-apple-m4-max-40-core-gpu-q4_k_m.dat" index 0 using 1:3 with lines lw 2.5 lc rgb "#0072B2" title "Gemma 4 AR", \
     "diffusiongemma-26b-a4b-apple-m4-max-40-core-gpu-q4_k_m.dat" index 1 using 1:3 with lines lw 2.5 lc rgb "#D55E00" title "Gemma 4 AR+MTP (k=3)", \
     "diffusiongemma-26b-a4b-apple-m4-max-40-core-gpu-q4_k_m.dat" index 2 using 1:3 with lines lw 2.5 lc rgb "#009E73" title "DiffusionGemma (canvas 256)"
unset multiplot
unset output
