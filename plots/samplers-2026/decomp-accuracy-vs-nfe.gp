# decomp-accuracy-vs-nfe.gp: regenerate decomp-accuracy-vs-nfe.png and decomp-accuracy-vs-nfe.svg with `gnuplot decomp-accuracy-vs-nfe.gp` in this folder.
# Data: decomp-accuracy-vs-nfe.dat. Written by `dlab plot` (DiffusionLab).
set encoding utf8
set datafile separator "\t"
set terminal pngcairo size 1120,714 font "DejaVu Sans,11" noenhanced
set output "decomp-accuracy-vs-nfe.png"
set title "decomp: accuracy vs mean NFE"
set xlabel "mean forward passes per example (measured NFE, log2)"
set ylabel "accuracy (%), 95% Wilson interval"
set grid
set key outside right top vertical Left reverse
set offsets graph 0.03, graph 0.03, 0, 0
set logscale x 2
set format x "%g"
set yrange [-2:102]
plot "decomp-accuracy-vs-nfe.dat" index 0 using 1:2:3:4 with yerrorlines lc rgb "#0072B2" dt 1 lw 1.5 pt 7 ps 0.9 title "tiny-ar-mtp · ar_greedy", \
     "decomp-accuracy-vs-nfe.dat" index 1 using 1:2:3:4 with yerrorlines lc rgb "#D55E00" dt 1 lw 1.5 pt 5 ps 0.9 title "tiny-ar-mtp · ar_mtp", \
     "decomp-accuracy-vs-nfe.dat" index 2 using 1:2:3:4 with yerrorlines lc rgb "#009E73" dt 1 lw 1.5 pt 9 ps 0.9 title "tiny-diffusiongemma · gemma_entropy_bound", \
     "decomp-accuracy-vs-nfe.dat" index 3 using 1:2:3:4 with yerrorlines lc rgb "#CC79A7" dt 1 lw 1.5 pt 11 ps 0.9 title "tiny-diffusiongemma · psi_sampler", \
     "decomp-accuracy-vs-nfe.dat" index 4 using 1:2:3:4 with yerrorlines lc rgb "#E69F00" dt 1 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · llada_low_confidence", \
     "decomp-accuracy-vs-nfe.dat" index 5 using 1:2:3:4 with yerrorlines lc rgb "#56B4E9" dt 1 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · llada_random", \
     "decomp-accuracy-vs-nfe.dat" index 6 using 1:2:3:4 with yerrorlines lc rgb "#000000" dt 1 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · dream_origin", \
     "decomp-accuracy-vs-nfe.dat" index 7 using 1:2:3:4 with yerrorlines lc rgb "#F0E442" dt 1 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · dream_maskgit_plus", \
     "decomp-accuracy-vs-nfe.dat" index 8 using 1:2:3:4 with yerrorlines lc rgb "#882255" dt 1 lw 1.5 pt 11 ps 0.9 title "tiny-llada-moe · dream_topk_margin", \
     "decomp-accuracy-vs-nfe.dat" index 9 using 1:2:3:4 with yerrorlines lc rgb "#44AA99" dt 1 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · dream_entropy", \
     "decomp-accuracy-vs-nfe.dat" index 10 using 1:2:3:4 with yerrorlines lc rgb "#999933" dt 1 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · fast_dllm_threshold", \
     "decomp-accuracy-vs-nfe.dat" index 11 using 1:2:3:4 with yerrorlines lc rgb "#AA4499" dt 1 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · fast_dllm_factor", \
     "decomp-accuracy-vs-nfe.dat" index 12 using 1:2:3:4 with yerrorlines lc rgb "#0072B2" dt 2 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · eb_sampler", \
     "decomp-accuracy-vs-nfe.dat" index 13 using 1:2:3:4 with yerrorlines lc rgb "#D55E00" dt 2 lw 1.5 pt 11 ps 0.9 title "tiny-llada-moe · mdlm_ancestral", \
     "decomp-accuracy-vs-nfe.dat" index 14 using 1:2:3:4 with yerrorlines lc rgb "#009E73" dt 2 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · mdlm_first_hitting", \
     "decomp-accuracy-vs-nfe.dat" index 15 using 1:2:3:4 with yerrorlines lc rgb "#CC79A7" dt 2 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · gemma_entropy_bound", \
     "decomp-accuracy-vs-nfe.dat" index 16 using 1:2:3:4 with yerrorlines lc rgb "#E69F00" dt 2 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · autoregressive", \
     "decomp-accuracy-vs-nfe.dat" index 17 using 1:2:3:4 with yerrorlines lc rgb "#56B4E9" dt 2 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · llada2_threshold", \
     "decomp-accuracy-vs-nfe.dat" index 18 using 1:2:3:4 with yerrorlines lc rgb "#000000" dt 2 lw 1.5 pt 11 ps 0.9 title "tiny-llada-moe · llada21_editing", \
     "decomp-accuracy-vs-nfe.dat" index 19 using 1:2:3:4 with yerrorlines lc rgb "#F0E442" dt 2 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · klass", \
     "decomp-accuracy-vs-nfe.dat" index 20 using 1:2:3:4 with yerrorlines lc rgb "#882255" dt 2 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · pc_sampler", \
     "decomp-accuracy-vs-nfe.dat" index 21 using 1:2:3:4 with yerrorlines lc rgb "#44AA99" dt 2 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · remdm_cap", \
     "decomp-accuracy-vs-nfe.dat" index 22 using 1:2:3:4 with yerrorlines lc rgb "#999933" dt 2 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · remdm_rescale", \
     "decomp-accuracy-vs-nfe.dat" index 23 using 1:2:3:4 with yerrorlines lc rgb "#AA4499" dt 2 lw 1.5 pt 11 ps 0.9 title "tiny-llada-moe · remdm_conf", \
     "decomp-accuracy-vs-nfe.dat" index 24 using 1:2:3:4 with yerrorlines lc rgb "#0072B2" dt 2 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · remdm_loop", \
     "decomp-accuracy-vs-nfe.dat" index 25 using 1:2:3:4 with yerrorlines lc rgb "#D55E00" dt 2 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · remdm_llada", \
     "decomp-accuracy-vs-nfe.dat" index 26 using 1:2:3:4 with yerrorlines lc rgb "#009E73" dt 2 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · prophet", \
     "decomp-accuracy-vs-nfe.dat" index 27 using 1:2:3:4 with yerrorlines lc rgb "#CC79A7" dt 2 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · saber", \
     "decomp-accuracy-vs-nfe.dat" index 28 using 1:2:3:4 with yerrorlines lc rgb "#E69F00" dt 2 lw 1.5 pt 11 ps 0.9 title "tiny-llada-moe · dus", \
     "decomp-accuracy-vs-nfe.dat" index 29 using 1:2:3:4 with yerrorlines lc rgb "#56B4E9" dt 2 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · slow_fast", \
     "decomp-accuracy-vs-nfe.dat" index 30 using 1:2:3:4 with yerrorlines lc rgb "#000000" dt 2 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · credit_decoding", \
     "decomp-accuracy-vs-nfe.dat" index 31 using 1:2:3:4 with yerrorlines lc rgb "#F0E442" dt 2 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · daedal", \
     "decomp-accuracy-vs-nfe.dat" index 32 using 1:2:3:4 with yerrorlines lc rgb "#882255" dt 2 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · wino", \
     "decomp-accuracy-vs-nfe.dat" index 33 using 1:2 with steps dt 2 lw 2 lc rgb "black" title "Pareto frontier", \
     "decomp-accuracy-vs-nfe.dat" index 33 using 1:2 with points pt 6 ps 2 lc rgb "black" notitle
unset output
reset
set datafile separator "\t"
set terminal svg size 1120,714 font "DejaVu Sans,11" noenhanced background "white"
set output "decomp-accuracy-vs-nfe.svg"
set title "decomp: accuracy vs mean NFE"
set xlabel "mean forward passes per example (measured NFE, log2)"
set ylabel "accuracy (%), 95% Wilson interval"
set grid
set key outside right top vertical Left reverse
set offsets graph 0.03, graph 0.03, 0, 0
set logscale x 2
set format x "%g"
set yrange [-2:102]
plot "decomp-accuracy-vs-nfe.dat" index 0 using 1:2:3:4 with yerrorlines lc rgb "#0072B2" dt 1 lw 1.5 pt 7 ps 0.9 title "tiny-ar-mtp · ar_greedy", \
     "decomp-accuracy-vs-nfe.dat" index 1 using 1:2:3:4 with yerrorlines lc rgb "#D55E00" dt 1 lw 1.5 pt 5 ps 0.9 title "tiny-ar-mtp · ar_mtp", \
     "decomp-accuracy-vs-nfe.dat" index 2 using 1:2:3:4 with yerrorlines lc rgb "#009E73" dt 1 lw 1.5 pt 9 ps 0.9 title "tiny-diffusiongemma · gemma_entropy_bound", \
     "decomp-accuracy-vs-nfe.dat" index 3 using 1:2:3:4 with yerrorlines lc rgb "#CC79A7" dt 1 lw 1.5 pt 11 ps 0.9 title "tiny-diffusiongemma · psi_sampler", \
     "decomp-accuracy-vs-nfe.dat" index 4 using 1:2:3:4 with yerrorlines lc rgb "#E69F00" dt 1 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · llada_low_confidence", \
     "decomp-accuracy-vs-nfe.dat" index 5 using 1:2:3:4 with yerrorlines lc rgb "#56B4E9" dt 1 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · llada_random", \
     "decomp-accuracy-vs-nfe.dat" index 6 using 1:2:3:4 with yerrorlines lc rgb "#000000" dt 1 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · dream_origin", \
     "decomp-accuracy-vs-nfe.dat" index 7 using 1:2:3:4 with yerrorlines lc rgb "#F0E442" dt 1 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · dream_maskgit_plus", \
     "decomp-accuracy-vs-nfe.dat" index 8 using 1:2:3:4 with yerrorlines lc rgb "#882255" dt 1 lw 1.5 pt 11 ps 0.9 title "tiny-llada-moe · dream_topk_margin", \
     "decomp-accuracy-vs-nfe.dat" index 9 using 1:2:3:4 with yerrorlines lc rgb "#44AA99" dt 1 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · dream_entropy", \
     "decomp-accuracy-vs-nfe.dat" index 10 using 1:2:3:4 with yerrorlines lc rgb "#999933" dt 1 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · fast_dllm_threshold", \
     "decomp-accuracy-vs-nfe.dat" index 11 using 1:2:3:4 with yerrorlines lc rgb "#AA4499" dt 1 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · fast_dllm_factor", \
     "decomp-accuracy-vs-nfe.dat" index 12 using 1:2:3:4 with yerrorlines lc rgb "#0072B2" dt 2 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · eb_sampler", \
     "decomp-accuracy-vs-nfe.dat" index 13 using 1:2:3:4 with yerrorlines lc rgb "#D55E00" dt 2 lw 1.5 pt 11 ps 0.9 title "tiny-llada-moe · mdlm_ancestral", \
     "decomp-accuracy-vs-nfe.dat" index 14 using 1:2:3:4 with yerrorlines lc rgb "#009E73" dt 2 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · mdlm_first_hitting", \
     "decomp-accuracy-vs-nfe.dat" index 15 using 1:2:3:4 with yerrorlines lc rgb "#CC79A7" dt 2 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · gemma_entropy_bound", \
     "decomp-accuracy-vs-nfe.dat" index 16 using 1:2:3:4 with yerrorlines lc rgb "#E69F00" dt 2 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · autoregressive", \
     "decomp-accuracy-vs-nfe.dat" index 17 using 1:2:3:4 with yerrorlines lc rgb "#56B4E9" dt 2 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · llada2_threshold", \
     "decomp-accuracy-vs-nfe.dat" index 18 using 1:2:3:4 with yerrorlines lc rgb "#000000" dt 2 lw 1.5 pt 11 ps 0.9 title "tiny-llada-moe · llada21_editing", \
     "decomp-accuracy-vs-nfe.dat" index 19 using 1:2:3:4 with yerrorlines lc rgb "#F0E442" dt 2 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · klass", \
     "decomp-accuracy-vs-nfe.dat" index 20 using 1:2:3:4 with yerrorlines lc rgb "#882255" dt 2 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · pc_sampler", \
     "decomp-accuracy-vs-nfe.dat" index 21 using 1:2:3:4 with yerrorlines lc rgb "#44AA99" dt 2 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · remdm_cap", \
     "decomp-accuracy-vs-nfe.dat" index 22 using 1:2:3:4 with yerrorlines lc rgb "#999933" dt 2 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · remdm_rescale", \
     "decomp-accuracy-vs-nfe.dat" index 23 using 1:2:3:4 with yerrorlines lc rgb "#AA4499" dt 2 lw 1.5 pt 11 ps 0.9 title "tiny-llada-moe · remdm_conf", \
     "decomp-accuracy-vs-nfe.dat" index 24 using 1:2:3:4 with yerrorlines lc rgb "#0072B2" dt 2 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · remdm_loop", \
     "decomp-accuracy-vs-nfe.dat" index 25 using 1:2:3:4 with yerrorlines lc rgb "#D55E00" dt 2 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · remdm_llada", \
     "decomp-accuracy-vs-nfe.dat" index 26 using 1:2:3:4 with yerrorlines lc rgb "#009E73" dt 2 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · prophet", \
     "decomp-accuracy-vs-nfe.dat" index 27 using 1:2:3:4 with yerrorlines lc rgb "#CC79A7" dt 2 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · saber", \
     "decomp-accuracy-vs-nfe.dat" index 28 using 1:2:3:4 with yerrorlines lc rgb "#E69F00" dt 2 lw 1.5 pt 11 ps 0.9 title "tiny-llada-moe · dus", \
     "decomp-accuracy-vs-nfe.dat" index 29 using 1:2:3:4 with yerrorlines lc rgb "#56B4E9" dt 2 lw 1.5 pt 13 ps 0.9 title "tiny-llada-moe · slow_fast", \
     "decomp-accuracy-vs-nfe.dat" index 30 using 1:2:3:4 with yerrorlines lc rgb "#000000" dt 2 lw 1.5 pt 7 ps 0.9 title "tiny-llada-moe · credit_decoding", \
     "decomp-accuracy-vs-nfe.dat" index 31 using 1:2:3:4 with yerrorlines lc rgb "#F0E442" dt 2 lw 1.5 pt 5 ps 0.9 title "tiny-llada-moe · daedal", \
     "decomp-accuracy-vs-nfe.dat" index 32 using 1:2:3:4 with yerrorlines lc rgb "#882255" dt 2 lw 1.5 pt 9 ps 0.9 title "tiny-llada-moe · wino", \
     "decomp-accuracy-vs-nfe.dat" index 33 using 1:2 with steps dt 2 lw 2 lc rgb "black" title "Pareto frontier", \
     "decomp-accuracy-vs-nfe.dat" index 33 using 1:2 with points pt 6 ps 2 lc rgb "black" notitle
unset output
