# tiny-llada-moe-sudoku4-commit-order.gp: regenerate tiny-llada-moe-sudoku4-commit-order.png and tiny-llada-moe-sudoku4-commit-order.svg with `gnuplot tiny-llada-moe-sudoku4-commit-order.gp` in this folder.
# Data: tiny-llada-moe-sudoku4-commit-order.dat. Written by `dlab plot` (DiffusionLab).
set encoding utf8
set datafile separator "\t"
set terminal pngcairo size 2280,1660 font "DejaVu Sans,11" noenhanced
set output "tiny-llada-moe-sudoku4-commit-order.png"
set multiplot layout 5,6 title "tiny-llada-moe · sudoku4: commit order at the largest step budget (colour: fraction of examples)" font ",12"
set palette defined (0 "white", 0.25 "#9ecae1", 0.6 "#3182bd", 1 "#08306b")
set cbrange [0:*]
set xlabel "canvas position"
set ylabel "step of commit"
set tics out
set title "llada_low_confidence (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 0 using 1:2:3 with image notitle
set title "llada_random (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 1 using 1:2:3 with image notitle
set title "dream_origin (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 2 using 1:2:3 with image notitle
set title "dream_maskgit_plus (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 3 using 1:2:3 with image notitle
set title "dream_topk_margin (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 4 using 1:2:3 with image notitle
set title "dream_entropy (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 5 using 1:2:3 with image notitle
set title "fast_dllm_threshold (budget-free)"
set xrange [-0.5:15.5]
set yrange [-0.5:8.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 6 using 1:2:3 with image notitle
set title "fast_dllm_factor (budget-free)"
set xrange [-0.5:15.5]
set yrange [-0.5:5.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 7 using 1:2:3 with image notitle
set title "eb_sampler (budget-free)"
set xrange [-0.5:15.5]
set yrange [-0.5:6.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 8 using 1:2:3 with image notitle
set title "mdlm_ancestral (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 9 using 1:2:3 with image notitle
set title "mdlm_first_hitting (budget-free)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 10 using 1:2:3 with image notitle
set title "gemma_entropy_bound (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:5.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 11 using 1:2:3 with image notitle
set title "autoregressive (budget-free)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 12 using 1:2:3 with image notitle
set title "llada2_threshold (budget-free)"
set xrange [-0.5:15.5]
set yrange [-0.5:10.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 13 using 1:2:3 with image notitle
set title "llada21_editing (budget-free)"
set xrange [-0.5:15.5]
set yrange [-0.5:38.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 14 using 1:2:3 with image notitle
set title "klass (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:14.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 15 using 1:2:3 with image notitle
set title "pc_sampler (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 16 using 1:2:3 with image notitle
set title "remdm_cap (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 17 using 1:2:3 with image notitle
set title "remdm_rescale (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 18 using 1:2:3 with image notitle
set title "remdm_conf (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 19 using 1:2:3 with image notitle
set title "remdm_loop (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 20 using 1:2:3 with image notitle
set title "remdm_llada (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:31.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 21 using 1:2:3 with image notitle
set title "prophet (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 22 using 1:2:3 with image notitle
set title "saber (budget-free)"
set xrange [-0.5:15.5]
set yrange [-0.5:14.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 23 using 1:2:3 with image notitle
set title "dus (budget-free)"
set xrange [-0.5:15.5]
set yrange [-0.5:3.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 24 using 1:2:3 with image notitle
set title "slow_fast (budget-free)"
set xrange [-0.5:15.5]
set yrange [-0.5:8.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 25 using 1:2:3 with image notitle
set title "credit_decoding (budget-free)"
set xrange [-0.5:15.5]
set yrange [-0.5:6.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 26 using 1:2:3 with image notitle
set title "daedal (budget-free)"
set xrange [-0.5:15.5]
set yrange [-0.5:8.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 27 using 1:2:3 with image notitle
set title "wino (budget-free)"
set xrange [-0.5:15.5]
set yrange [-0.5:11.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 28 using 1:2:3 with image notitle
unset multiplot
unset output
reset
set datafile separator "\t"
set terminal svg size 2280,1660 font "DejaVu Sans,11" noenhanced background "white"
set output "tiny-llada-moe-sudoku4-commit-order.svg"
set multiplot layout 5,6 title "tiny-llada-moe · sudoku4: commit order at the largest step budget (colour: fraction of examples)" font ",12"
set palette defined (0 "white", 0.25 "#9ecae1", 0.6 "#3182bd", 1 "#08306b")
set cbrange [0:*]
set xlabel "canvas position"
set ylabel "step of commit"
set tics out
set title "llada_low_confidence (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 0 using 1:2:3 with image notitle
set title "llada_random (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 1 using 1:2:3 with image notitle
set title "dream_origin (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 2 using 1:2:3 with image notitle
set title "dream_maskgit_plus (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 3 using 1:2:3 with image notitle
set title "dream_topk_margin (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 4 using 1:2:3 with image notitle
set title "dream_entropy (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 5 using 1:2:3 with image notitle
set title "fast_dllm_threshold (budget-free)"
set xrange [-0.5:15.5]
set yrange [-0.5:8.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 6 using 1:2:3 with image notitle
set title "fast_dllm_factor (budget-free)"
set xrange [-0.5:15.5]
set yrange [-0.5:5.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 7 using 1:2:3 with image notitle
set title "eb_sampler (budget-free)"
set xrange [-0.5:15.5]
set yrange [-0.5:6.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 8 using 1:2:3 with image notitle
set title "mdlm_ancestral (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 9 using 1:2:3 with image notitle
set title "mdlm_first_hitting (budget-free)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 10 using 1:2:3 with image notitle
set title "gemma_entropy_bound (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:5.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 11 using 1:2:3 with image notitle
set title "autoregressive (budget-free)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 12 using 1:2:3 with image notitle
set title "llada2_threshold (budget-free)"
set xrange [-0.5:15.5]
set yrange [-0.5:10.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 13 using 1:2:3 with image notitle
set title "llada21_editing (budget-free)"
set xrange [-0.5:15.5]
set yrange [-0.5:38.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 14 using 1:2:3 with image notitle
set title "klass (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:14.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 15 using 1:2:3 with image notitle
set title "pc_sampler (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 16 using 1:2:3 with image notitle
set title "remdm_cap (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 17 using 1:2:3 with image notitle
set title "remdm_rescale (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 18 using 1:2:3 with image notitle
set title "remdm_conf (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 19 using 1:2:3 with image notitle
set title "remdm_loop (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 20 using 1:2:3 with image notitle
set title "remdm_llada (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:31.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 21 using 1:2:3 with image notitle
set title "prophet (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 22 using 1:2:3 with image notitle
set title "saber (budget-free)"
set xrange [-0.5:15.5]
set yrange [-0.5:14.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 23 using 1:2:3 with image notitle
set title "dus (budget-free)"
set xrange [-0.5:15.5]
set yrange [-0.5:3.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 24 using 1:2:3 with image notitle
set title "slow_fast (budget-free)"
set xrange [-0.5:15.5]
set yrange [-0.5:8.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 25 using 1:2:3 with image notitle
set title "credit_decoding (budget-free)"
set xrange [-0.5:15.5]
set yrange [-0.5:6.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 26 using 1:2:3 with image notitle
set title "daedal (budget-free)"
set xrange [-0.5:15.5]
set yrange [-0.5:8.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 27 using 1:2:3 with image notitle
set title "wino (budget-free)"
set xrange [-0.5:15.5]
set yrange [-0.5:11.5]
plot "tiny-llada-moe-sudoku4-commit-order.dat" index 28 using 1:2:3 with image notitle
unset multiplot
unset output
