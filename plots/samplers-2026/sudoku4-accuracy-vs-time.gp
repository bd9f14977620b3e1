# sudoku4-accuracy-vs-time.gp: regenerate sudoku4-accuracy-vs-time.png and sudoku4-accuracy-vs-time.svg with `gnuplot sudoku4-accuracy-vs-time.gp` in this folder.
# Data: sudoku4-accuracy-vs-time.dat. Written by `dlab plot` (DiffusionLab).
set encoding utf8
set datafile separator "\t"
set terminal pngcairo size 1120,714 font "DejaVu Sans,11" noenhanced
set output "sudoku4-accuracy-vs-time.png"
set title "sudoku4: accuracy vs wall time"
set xlabel "wall time per example (ms, log10)"
set ylabel "accuracy (%), 95% Wilson interval"
set grid
set key outside right top vertical Left reverse
set offsets graph 0.03, graph 0.03, 0, 0
set logscale x 10
set yrange [-2:102]
plot "sudoku4-accuracy-vs-time.dat" index 0 using 1:2:3:4 with yerrorlines lc rgb "#0072B2" dt 1 lw 1.5 pt 7 ps 0.9 title "tiny-ar-mtp · ar_greedy", \
     "sudoku4-accuracy-vs-time.dat" index 1 using 1:2:3:4 with yerrorlines lc rgb "#D55E00" dt 1 lw 1.5 pt 5 ps 0.9 title "tiny-ar-mtp · ar_mtp", \
     "sudoku4-accuracy-vs-time.dat" index 2 using 1:2:3:4 with yerrorlines lc rgb "#009E73" dt 1 lw 1.5 pt 9 ps 0.9 title "tiny-diffusiongemma · gemma_entropy_bound", \
     "sudoku4-accuracy-vs-time.dat" index 3 using 1:2:3:4 with yerrorlines lc rgb "#CC79A7" dt 1 lw 1.5 pt 11 ps 0.9 title "tiny-diffusiongemma · psi_sampler", \
     "sudoku4-accuracy-vs-time.dat" index 4 using 1:2:3:4 with yerrorlines lc rgb "#E69F00" dt 1 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · llada_low_confidence", \
     "sudoku4-accuracy-vs-time.dat" index 5 using 1:2:3:4 with yerrorlines lc rgb "#56B4E9" dt 1 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · llada_random", \
     "sudoku4-accuracy-vs-time.dat" index 6 using 1:2:3:4 with yerrorlines lc rgb "#000000" dt 1 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · dream_origin", \
     "sudoku4-accuracy-vs-time.dat" index 7 using 1:2:3:4 with yerrorlines lc rgb "#F0E442" dt 1 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · dream_maskgit_plus", \
     "sudoku4-accuracy-vs-time.dat" index 8 using 1:2:3:4 with yerrorlines lc rgb "#882255" dt 1 lw 1.5 pt 11 ps 0.9 title "tiny-llada-moe · dream_topk_margin", \
     "sudoku4-accuracy-vs-time.dat" index 9 using 1:2:3:4 with yerrorlines lc rgb "#44AA99" dt 1 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · dream_entropy", \
     "sudoku4-accuracy-vs-time.dat" index 10 using 1:2:3:4 with yerrorlines lc rgb "#999933" dt 1 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · fast_dllm_threshold", \
     "sudoku4-accuracy-vs-time.dat" index 11 using 1:2:3:4 with yerrorlines lc rgb "#AA4499" dt 1 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · fast_dllm_factor", \
     "sudoku4-accuracy-vs-time.dat" index 12 using 1:2:3:4 with yerrorlines lc rgb "#0072B2" dt 2 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · eb_sampler", \
     "sudoku4-accuracy-vs-time.dat" index 13 using 1:2:3:4 with yerrorlines lc rgb "#D55E00" dt 2 lw 1.5 pt 11 ps 0.9 title "tiny-llada-moe · mdlm_ancestral", \
     "sudoku4-accuracy-vs-time.dat" index 14 using 1:2:3:4 with yerrorlines lc rgb "#009E73" dt 2 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · mdlm_first_hitting", \
     "sudoku4-accuracy-vs-time.dat" index 15 using 1:2:3:4 with yerrorlines lc rgb "#CC79A7" dt 2 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · gemma_entropy_bound", \
     "sudoku4-accuracy-vs-time.dat" index 16 using 1:2:3:4 with yerrorlines lc rgb "#E69F00" dt 2 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · autoregressive", \
     "sudoku4-accuracy-vs-time.dat" index 17 using 1:2:3:4 with yerrorlines lc rgb "#56B4E9" dt 2 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · llada2_threshold", \
     "sudoku4-accuracy-vs-time.dat" index 18 using 1:2:3:4 with yerrorlines lc rgb "#000000" dt 2 lw 1.5 pt 11 ps 0.9 title "tiny-llada-moe · llada21_editing", \
     "sudoku4-accuracy-vs-time.dat" index 19 using 1:2:3:4 with yerrorlines lc rgb "#F0E442" dt 2 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · klass", \
     "sudoku4-accuracy-vs-time.dat" index 20 using 1:2:3:4 with yerrorlines lc rgb "#882255" dt 2 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · pc_sampler", \
     "sudoku4-accuracy-vs-time.dat" index 21 using 1:2:3:4 with yerrorlines lc rgb "#44AA99" dt 2 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · remdm_cap", \
     "sudoku4-accuracy-vs-time.dat" index 22 using 1:2:3:4 with yerrorlines lc rgb "#999933" dt 2 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · remdm_rescale", \
     "sudoku4-accuracy-vs-time.dat" index 23 using 1:2:3:4 with yerrorlines lc rgb "#AA4499" dt 2 lw 1.5 pt 11 ps 0.9 title "tiny-llada-moe · remdm_conf", \
     "sudoku4-accuracy-vs-time.dat" index 24 using 1:2:3:4 with yerrorlines lc rgb "#0072B2" dt 2 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · remdm_loop", \
     "sudoku4-accuracy-vs-time.dat" index 25 using 1:2:3:4 with yerrorlines lc rgb "#D55E00" dt 2 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · remdm_llada", \
     "sudoku4-accuracy-vs-time.dat" index 26 using 1:2:3:4 with yerrorlines lc rgb "#009E73" dt 2 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · prophet", \
     "sudoku4-accuracy-vs-time.dat" index 27 using 1:2:3:4 with yerrorlines lc rgb "#CC79A7" dt 2 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · saber", \
     "sudoku4-accuracy-vs-time.dat" index 28 using 1:2:3:4 with yerrorlines lc rgb "#E69F00" dt 2 lw 1.5 pt 11 ps 0.9 title "tiny-llada-moe · dus", \
     "sudoku4-accuracy-vs-time.dat" index 29 using 1:2:3:4 with yerrorlines lc rgb "#56B4E9" dt 2 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · slow_fast", \
     "sudoku4-accuracy-vs-time.dat" index 30 using 1:2:3:4 with yerrorlines lc rgb "#000000" dt 2 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · credit_decoding", \
     "sudoku4-accuracy-vs-time.dat" index 31 using 1:2:3:4 with yerrorlines lc rgb "#F0E442" dt 2 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · daedal", \
     "sudoku4-accuracy-vs-time.dat" index 32 using 1:2:3:4 with yerrorlines lc rgb "#882255" dt 2 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · wino", \
     "sudoku4-accuracy-vs-time.dat" index 33 using 1:2 with steps dt 2 lw 2 lc rgb "black" title "Pareto frontier", \
     "sudoku4-accuracy-vs-time.dat" index 33 using 1:2 with points pt 6 ps 2 lc rgb "black" notitle
unset output
reset
set datafile separator "\t"
set terminal svg size 1120,714 font "DejaVu Sans,11" noenhanced background "white"
set output "sudoku4-accuracy-vs-time.svg"
set title "sudoku4: accuracy vs wall time"
set xlabel "wall time per example (ms, log10)"
set ylabel "accuracy (%), 95% Wilson interval"
set grid
set key outside right top vertical Left reverse
set offsets graph 0.03, graph 0.03, 0, 0
set logscale x 10
set yrange [-2:102]
plot "sudoku4-accuracy-vs-time.dat" index 0 using 1:2:3:4 with yerrorlines lc rgb "#0072B2" dt 1 lw 1.5 pt 7 ps 0.9 title "tiny-ar-mtp · ar_greedy", \
     "sudoku4-accuracy-vs-time.dat" index 1 using 1:2:3:4 with yerrorlines lc rgb "#D55E00" dt 1 lw 1.5 pt 5 ps 0.9 title "tiny-ar-mtp · ar_mtp", \
     "sudoku4-accuracy-vs-time.dat" index 2 using 1:2:3:4 with yerrorlines lc rgb "#009E73" dt 1 lw 1.5 pt 9 ps 0.9 title "tiny-diffusiongemma · gemma_entropy_bound", \
     "sudoku4-accuracy-vs-time.dat" index 3 using 1:2:3:4 with yerrorlines lc rgb "#CC79A7" dt 1 lw 1.5 pt 11 ps 0.9 title "tiny-diffusiongemma · psi_sampler", \
     "sudoku4-accuracy-vs-time.dat" index 4 using 1:2:3:4 with yerrorlines lc rgb "#E69F00" dt 1 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · llada_low_confidence", \
     "sudoku4-accuracy-vs-time.dat" index 5 using 1:2:3:4 with yerrorlines lc rgb "#56B4E9" dt 1 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · llada_random", \
     "sudoku4-accuracy-vs-time.dat" index 6 using 1:2:3:4 with yerrorlines lc rgb "#000000" dt 1 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · dream_origin", \
     "sudoku4-accuracy-vs-time.dat" index 7 using 1:2:3:4 with yerrorlines lc rgb "#F0E442" dt 1 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · dream_maskgit_plus", \
     "sudoku4-accuracy-vs-time.dat" index 8 using 1:2:3:4 with yerrorlines lc rgb "#882255" dt 1 lw 1.5 pt 11 ps 0.9 title "tiny-llada-moe · dream_topk_margin", \
     "sudoku4-accuracy-vs-time.dat" index 9 using 1:2:3:4 with yerrorlines lc rgb "#44AA99" dt 1 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · dream_entropy", \
     "sudoku4-accuracy-vs-time.dat" index 10 using 1:2:3:4 with yerrorlines lc rgb "#999933" dt 1 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · fast_dllm_threshold", \
     "sudoku4-accuracy-vs-time.dat" index 11 using 1:2:3:4 with yerrorlines lc rgb "#AA4499" dt 1 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · fast_dllm_factor", \
     "sudoku4-accuracy-vs-time.dat" index 12 using 1:2:3:4 with yerrorlines lc rgb "#0072B2" dt 2 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · eb_sampler", \
     "sudoku4-accuracy-vs-time.dat" index 13 using 1:2:3:4 with yerrorlines lc rgb "#D55E00" dt 2 lw 1.5 pt 11 ps 0.9 title "tiny-llada-moe · mdlm_ancestral", \
     "sudoku4-accuracy-vs-time.dat" index 14 using 1:2:3:4 with yerrorlines lc rgb "#009E73" dt 2 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · mdlm_first_hitting", \
     "sudoku4-accuracy-vs-time.dat" index 15 using 1:2:3:4 with yerrorlines lc rgb "#CC79A7" dt 2 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · gemma_entropy_bound", \
     "sudoku4-accuracy-vs-time.dat" index 16 using 1:2:3:4 with yerrorlines lc rgb "#E69F00" dt 2 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · autoregressive", \
     "sudoku4-accuracy-vs-time.dat" index 17 using 1:2:3:4 with yerrorlines lc rgb "#56B4E9" dt 2 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · llada2_threshold", \
     "sudoku4-accuracy-vs-time.dat" index 18 using 1:2:3:4 with yerrorlines lc rgb "#000000" dt 2 lw 1.5 pt 11 ps 0.9 title "tiny-llada-moe · llada21_editing", \
     "sudoku4-accuracy-vs-time.dat" index 19 using 1:2:3:4 with yerrorlines lc rgb "#F0E442" dt 2 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · klass", \
     "sudoku4-accuracy-vs-time.dat" index 20 using 1:2:3:4 with yerrorlines lc rgb "#882255" dt 2 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · pc_sampler", \
     "sudoku4-accuracy-vs-time.dat" index 21 using 1:2:3:4 with yerrorlines lc rgb "#44AA99" dt 2 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · remdm_cap", \
     "sudoku4-accuracy-vs-time.dat" index 22 using 1:2:3:4 with yerrorlines lc rgb "#999933" dt 2 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · remdm_rescale", \
     "sudoku4-accuracy-vs-time.dat" index 23 using 1:2:3:4 with yerrorlines lc rgb "#AA4499" dt 2 lw 1.5 pt 11 ps 0.9 title "tiny-llada-moe · remdm_conf", \
     "sudoku4-accuracy-vs-time.dat" index 24 using 1:2:3:4 with yerrorlines lc rgb "#0072B2" dt 2 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · remdm_loop", \
     "sudoku4-accuracy-vs-time.dat" index 25 using 1:2:3:4 with yerrorlines lc rgb "#D55E00" dt 2 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · remdm_llada", \
     "sudoku4-accuracy-vs-time.dat" index 26 using 1:2:3:4 with yerrorlines lc rgb "#009E73" dt 2 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · prophet", \
     "sudoku4-accuracy-vs-time.dat" index 27 using 1:2:3:4 with yerrorlines lc rgb "#CC79A7" dt 2 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · saber", \
     "sudoku4-accuracy-vs-time.dat" index 28 using 1:2:3:4 with yerrorlines lc rgb "#E69F00" dt 2 lw 1.5 pt 11 ps 0.9 title "tiny-llada-moe · dus", \
     "sudoku4-accuracy-vs-time.dat" index 29 using 1:2:3:4 with yerrorlines lc rgb "#56B4E9" dt 2 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · slow_fast", \
     "sudoku4-accuracy-vs-time.dat" index 30 using 1:2:3:4 with yerrorlines lc rgb "#000000" dt 2 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · credit_decoding", \
     "sudoku4-accuracy-vs-time.dat" index 31 using 1:2:3:4 with yerrorlines lc rgb "#F0E442" dt 2 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · daedal", \
     "sudoku4-accuracy-vs-time.dat" index 32 using 1:2:3:4 with yerrorlines lc rgb "#882255" dt 2 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · wino", \
     "sudoku4-accuracy-vs-time.dat" index 33 using 1:2 with steps dt 2 lw 2 lc rgb "black" title "Pareto frontier", \
     "sudoku4-accuracy-vs-time.dat" index 33 using 1:2 with points pt 6 ps 2 lc rgb "black" notitle
unset output
