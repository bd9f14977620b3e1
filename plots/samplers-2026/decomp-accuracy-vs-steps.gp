# decomp-accuracy-vs-steps.gp: regenerate decomp-accuracy-vs-steps.png and decomp-accuracy-vs-steps.svg with `gnuplot decomp-accuracy-vs-steps.gp` in this folder.
# Data: decomp-accuracy-vs-steps.dat. Written by `dlab plot` (DiffusionLab).
set encoding utf8
set datafile separator "\t"
set terminal pngcairo size 1120,714 font "DejaVu Sans,11" noenhanced
set output "decomp-accuracy-vs-steps.png"
set title "decomp: accuracy vs step budget"
set xlabel "step budget (nominal, log2)"
set ylabel "accuracy (%), 95% Wilson interval"
set grid
set key outside right top vertical Left reverse
set offsets graph 0.03, graph 0.03, 0, 0
set logscale x 2
set format x "%g"
set yrange [-2:102]
plot "decomp-accuracy-vs-steps.dat" index 0 using 1:2:3:4 with yerrorlines lc rgb "#0072B2" dt 3 lw 1.5 pt 7 ps 0.9 title "tiny-ar-mtp · ar_greedy (budget-free)", \
     "decomp-accuracy-vs-steps.dat" index 1 using 1:2:3:4 with yerrorlines lc rgb "#D55E00" dt 3 lw 1.5 pt 5 ps 0.9 title "tiny-ar-mtp · ar_mtp (budget-free)", \
     "decomp-accuracy-vs-steps.dat" index 2 using 1:2:3:4 with yerrorlines lc rgb "#009E73" dt 1 lw 1.5 pt 9 ps 0.9 title "tiny-diffusiongemma · gemma_entropy_bound", \
     "decomp-accuracy-vs-steps.dat" index 3 using 1:2:3:4 with yerrorlines lc rgb "#CC79A7" dt 1 lw 1.5 pt 11 ps 0.9 title "tiny-diffusiongemma · psi_sampler", \
     "decomp-accuracy-vs-steps.dat" index 4 using 1:2:3:4 with yerrorlines lc rgb "#E69F00" dt 1 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · llada_low_confidence", \
     "decomp-accuracy-vs-steps.dat" index 5 using 1:2:3:4 with yerrorlines lc rgb "#56B4E9" dt 1 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · llada_random", \
     "decomp-accuracy-vs-steps.dat" index 6 using 1:2:3:4 with yerrorlines lc rgb "#000000" dt 1 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · dream_origin", \
     "decomp-accuracy-vs-steps.dat" index 7 using 1:2:3:4 with yerrorlines lc rgb "#F0E442" dt 1 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · dream_maskgit_plus", \
     "decomp-accuracy-vs-steps.dat" index 8 using 1:2:3:4 with yerrorlines lc rgb "#882255" dt 1 lw 1.5 pt 11 ps 0.9 title "tiny-llada-moe · dream_topk_margin", \
     "decomp-accuracy-vs-steps.dat" index 9 using 1:2:3:4 with yerrorlines lc rgb "#44AA99" dt 1 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · dream_entropy", \
     "decomp-accuracy-vs-steps.dat" index 10 using 1:2:3:4 with yerrorlines lc rgb "#999933" dt 3 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · fast_dllm_threshold (budget-free)", \
     "decomp-accuracy-vs-steps.dat" index 11 using 1:2:3:4 with yerrorlines lc rgb "#AA4499" dt 3 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · fast_dllm_factor (budget-free)", \
     "decomp-accuracy-vs-steps.dat" index 12 using 1:2:3:4 with yerrorlines lc rgb "#0072B2" dt 3 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · eb_sampler (budget-free)", \
     "decomp-accuracy-vs-steps.dat" index 13 using 1:2:3:4 with yerrorlines lc rgb "#D55E00" dt 2 lw 1.5 pt 11 ps 0.9 title "tiny-llada-moe · mdlm_ancestral", \
     "decomp-accuracy-vs-steps.dat" index 14 using 1:2:3:4 with yerrorlines lc rgb "#009E73" dt 3 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · mdlm_first_hitting (budget-free)", \
     "decomp-accuracy-vs-steps.dat" index 15 using 1:2:3:4 with yerrorlines lc rgb "#CC79A7" dt 2 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · gemma_entropy_bound", \
     "decomp-accuracy-vs-steps.dat" index 16 using 1:2:3:4 with yerrorlines lc rgb "#E69F00" dt 3 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · autoregressive (budget-free)", \
     "decomp-accuracy-vs-steps.dat" index 17 using 1:2:3:4 with yerrorlines lc rgb "#56B4E9" dt 3 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · llada2_threshold (budget-free)", \
     "decomp-accuracy-vs-steps.dat" index 18 using 1:2:3:4 with yerrorlines lc rgb "#000000" dt 3 lw 1.5 pt 11 ps 0.9 title "tiny-llada-moe · llada21_editing (budget-free)", \
     "decomp-accuracy-vs-steps.dat" index 19 using 1:2:3:4 with yerrorlines lc rgb "#F0E442" dt 2 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · klass", \
     "decomp-accuracy-vs-steps.dat" index 20 using 1:2:3:4 with yerrorlines lc rgb "#882255" dt 2 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · pc_sampler", \
     "decomp-accuracy-vs-steps.dat" index 21 using 1:2:3:4 with yerrorlines lc rgb "#44AA99" dt 2 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · remdm_cap", \
     "decomp-accuracy-vs-steps.dat" index 22 using 1:2:3:4 with yerrorlines lc rgb "#999933" dt 2 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · remdm_rescale", \
     "decomp-accuracy-vs-steps.dat" index 23 using 1:2:3:4 with yerrorlines lc rgb "#AA4499" dt 2 lw 1.5 pt 11 ps 0.9 title "tiny-llada-moe · remdm_conf", \
     "decomp-accuracy-vs-steps.dat" index 24 using 1:2:3:4 with yerrorlines lc rgb "#0072B2" dt 2 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · remdm_loop", \
     "decomp-accuracy-vs-steps.dat" index 25 using 1:2:3:4 with yerrorlines lc rgb "#D55E00" dt 2 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · remdm_llada", \
     "decomp-accuracy-vs-steps.dat" index 26 using 1:2:3:4 with yerrorlines lc rgb "#009E73" dt 2 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · prophet", \
     "decomp-accuracy-vs-steps.dat" index 27 using 1:2:3:4 with yerrorlines lc rgb "#CC79A7" dt 3 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · saber (budget-free)", \
     "decomp-accuracy-vs-steps.dat" index 28 using 1:2:3:4 with yerrorlines lc rgb "#E69F00" dt 3 lw 1.5 pt 11 ps 0.9 title "tiny-llada-moe · dus (budget-free)", \
     "decomp-accuracy-vs-steps.dat" index 29 using 1:2:3:4 with yerrorlines lc rgb "#56B4E9" dt 3 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · slow_fast (budget-free)", \
     "decomp-accuracy-vs-steps.dat" index 30 using 1:2:3:4 with yerrorlines lc rgb "#000000" dt 3 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · credit_decoding (budget-free)", \
     "decomp-accuracy-vs-steps.dat" index 31 using 1:2:3:4 with yerrorlines lc rgb "#F0E442" dt 3 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · daedal (budget-free)", \
     "decomp-accuracy-vs-steps.dat" index 32 using 1:2:3:4 with yerrorlines lc rgb "#882255" dt 3 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · wino (budget-free)", \
     "decomp-accuracy-vs-steps.dat" index 33 using 1:2 with steps dt 2 lw 2 lc rgb "black" title "Pareto frontier", \
     "decomp-accuracy-vs-steps.dat" index 33 using 1:2 with points pt 6 ps 2 lc rgb "black" notitle
unset output
reset
set datafile separator "\t"
set terminal svg size 1120,714 font "DejaVu Sans,11" noenhanced background "white"
set output "decomp-accuracy-vs-steps.svg"
set title "decomp: accuracy vs step budget"
set xlabel "step budget (nominal, log2)"
set ylabel "accuracy (%), 95% Wilson interval"
set grid
set key outside right top vertical Left reverse
set offsets graph 0.03, graph 0.03, 0, 0
set logscale x 2
set format x "%g"
set yrange [-2:102]
plot "decomp-accuracy-vs-steps.dat" index 0 using 1:2:3:4 with yerrorlines lc rgb "#0072B2" dt 3 lw 1.5 pt 7 ps 0.9 title "tiny-ar-mtp · ar_greedy (budget-free)", \
     "decomp-accuracy-vs-steps.dat" index 1 using 1:2:3:4 with yerrorlines lc rgb "#D55E00" dt 3 lw 1.5 pt 5 ps 0.9 title "tiny-ar-mtp · ar_mtp (budget-free)", \
     "decomp-accuracy-vs-steps.dat" index 2 using 1:2:3:4 with yerrorlines lc rgb "#009E73" dt 1 lw 1.5 pt 9 ps 0.9 title "tiny-diffusiongemma · gemma_entropy_bound", \
     "decomp-accuracy-vs-steps.dat" index 3 using 1:2:3:4 with yerrorlines lc rgb "#CC79A7" dt 1 lw 1.5 pt 11 ps 0.9 title "tiny-diffusiongemma · psi_sampler", \
     "decomp-accuracy-vs-steps.dat" index 4 using 1:2:3:4 with yerrorlines lc rgb "#E69F00" dt 1 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · llada_low_confidence", \
     "decomp-accuracy-vs-steps.dat" index 5 using 1:2:3:4 with yerrorlines lc rgb "#56B4E9" dt 1 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · llada_random", \
     "decomp-accuracy-vs-steps.dat" index 6 using 1:2:3:4 with yerrorlines lc rgb "#000000" dt 1 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · dream_origin", \
     "decomp-accuracy-vs-steps.dat" index 7 using 1:2:3:4 with yerrorlines lc rgb "#F0E442" dt 1 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · dream_maskgit_plus", \
     "decomp-accuracy-vs-steps.dat" index 8 using 1:2:3:4 with yerrorlines lc rgb "#882255" dt 1 lw 1.5 pt 11 ps 0.9 title "tiny-llada-moe · dream_topk_margin", \
     "decomp-accuracy-vs-steps.dat" index 9 using 1:2:3:4 with yerrorlines lc rgb "#44AA99" dt 1 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · dream_entropy", \
     "decomp-accuracy-vs-steps.dat" index 10 using 1:2:3:4 with yerrorlines lc rgb "#999933" dt 3 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · fast_dllm_threshold (budget-free)", \
     "decomp-accuracy-vs-steps.dat" index 11 using 1:2:3:4 with yerrorlines lc rgb "#AA4499" dt 3 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · fast_dllm_factor (budget-free)", \
     "decomp-accuracy-vs-steps.dat" index 12 using 1:2:3:4 with yerrorlines lc rgb "#0072B2" dt 3 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · eb_sampler (budget-free)", \
     "decomp-accuracy-vs-steps.dat" index 13 using 1:2:3:4 with yerrorlines lc rgb "#D55E00" dt 2 lw 1.5 pt 11 ps 0.9 title "tiny-llada-moe · mdlm_ancestral", \
     "decomp-accuracy-vs-steps.dat" index 14 using 1:2:3:4 with yerrorlines lc rgb "#009E73" dt 3 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · mdlm_first_hitting (budget-free)", \
     "decomp-accuracy-vs-steps.dat" index 15 using 1:2:3:4 with yerrorlines lc rgb "#CC79A7" dt 2 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · gemma_entropy_bound", \
     "decomp-accuracy-vs-steps.dat" index 16 using 1:2:3:4 with yerrorlines lc rgb "#E69F00" dt 3 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · autoregressive (budget-free)", \
     "decomp-accuracy-vs-steps.dat" index 17 using 1:2:3:4 with yerrorlines lc rgb "#56B4E9" dt 3 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · llada2_threshold (budget-free)", \
     "decomp-accuracy-vs-steps.dat" index 18 using 1:2:3:4 with yerrorlines lc rgb "#000000" dt 3 lw 1.5 pt 11 ps 0.9 title "tiny-llada-moe · llada21_editing (budget-free)", \
     "decomp-accuracy-vs-steps.dat" index 19 using 1:2:3:4 with yerrorlines lc rgb "#F0E442" dt 2 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · klass", \
     "decomp-accuracy-vs-steps.dat" index 20 using 1:2:3:4 with yerrorlines lc rgb "#882255" dt 2 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · pc_sampler", \
     "decomp-accuracy-vs-steps.dat" index 21 using 1:2:3:4 with yerrorlines lc rgb "#44AA99" dt 2 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · remdm_cap", \
     "decomp-accuracy-vs-steps.dat" index 22 using 1:2:3:4 with yerrorlines lc rgb "#999933" dt 2 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · remdm_rescale", \
     "decomp-accuracy-vs-steps.dat" index 23 using 1:2:3:4 with yerrorlines lc rgb "#AA4499" dt 2 lw 1.5 pt 11 ps 0.9 title "tiny-llada-moe · remdm_conf", \
     "decomp-accuracy-vs-steps.dat" index 24 using 1:2:3:4 with yerrorlines lc rgb "#0072B2" dt 2 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · remdm_loop", \
     "decomp-accuracy-vs-steps.dat" index 25 using 1:2:3:4 with yerrorlines lc rgb "#D55E00" dt 2 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · remdm_llada", \
     "decomp-accuracy-vs-steps.dat" index 26 using 1:2:3:4 with yerrorlines lc rgb "#009E73" dt 2 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · prophet", \
     "decomp-accuracy-vs-steps.dat" index 27 using 1:2:3:4 with yerrorlines lc rgb "#CC79A7" dt 3 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · saber (budget-free)", \
     "decomp-accuracy-vs-steps.dat" index 28 using 1:2:3:4 with yerrorlines lc rgb "#E69F00" dt 3 lw 1.5 pt 11 ps 0.9 title "tiny-llada-moe · dus (budget-free)", \
     "decomp-accuracy-vs-steps.dat" index 29 using 1:2:3:4 with yerrorlines lc rgb "#56B4E9" dt 3 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · slow_fast (budget-free)", \
     "decomp-accuracy-vs-steps.dat" index 30 using 1:2:3:4 with yerrorlines lc rgb "#000000" dt 3 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · credit_decoding (budget-free)", \
     "decomp-accuracy-vs-steps.dat" index 31 using 1:2:3:4 with yerrorlines lc rgb "#F0E442" dt 3 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · daedal (budget-free)", \
     "decomp-accuracy-vs-steps.dat" index 32 using 1:2:3:4 with yerrorlines lc rgb "#882255" dt 3 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · wino (budget-free)", \
     "decomp-accuracy-vs-steps.dat" index 33 using 1:2 with steps dt 2 lw 2 lc rgb "black" title "Pareto frontier", \
     "decomp-accuracy-vs-steps.dat" index 33 using 1:2 with points pt 6 ps 2 lc rgb "black" notitle
unset output
