# tiny-llada-moe-sorting-commit-order.gp: regenerate tiny-llada-moe-sorting-commit-order.png and tiny-llada-moe-sorting-commit-order.svg with `gnuplot tiny-llada-moe-sorting-commit-order.gp` in this folder.
# Data: tiny-llada-moe-sorting-commit-order.dat. Written by `dlab plot` (DiffusionLab).
set encoding utf8
set datafile separator "\t"
set terminal pngcairo size 2280,1020 font "DejaVu Sans,11" noenhanced
set output "tiny-llada-moe-sorting-commit-order.png"
set multiplot layout 3,6 title "tiny-llada-moe · sorting: commit order at the largest step budget (colour: fraction of examples)" font ",12"
set palette defined (0 "white", 0.25 "#9ecae1", 0.6 "#3182bd", 1 "#08306b")
set cbrange [0:*]
set xlabel "canvas position"
set ylabel "step of commit"
set tics out
set title "fast_dllm_threshold threshold=0.5 (8 steps)"
set xrange [-0.5:7.5]
set yrange [-0.5:0.5]
plot "tiny-llada-moe-sorting-commit-order.dat" index 0 using 1:2:3 with image notitle
set title "fast_dllm_threshold threshold=0.7 (8 steps)"
set xrange [-0.5:7.5]
set yrange [-0.5:0.5]
plot "tiny-llada-moe-sorting-commit-order.dat" index 1 using 1:2:3 with image notitle
set title "fast_dllm_threshold threshold=0.9 (8 steps)"
set xrange [-0.5:7.5]
set yrange [-0.5:0.5]
plot "tiny-llada-moe-sorting-commit-order.dat" index 2 using 1:2:3 with image notitle
set title "fast_dllm_threshold threshold=0.99 (8 steps)"
set xrange [-0.5:7.5]
set yrange [-0.5:1.5]
plot "tiny-llada-moe-sorting-commit-order.dat" index 3 using 1:2:3 with image notitle
set title "eb_sampler gamma=0.01 (8 steps)"
set xrange [-0.5:7.5]
set yrange [-0.5:1.5]
plot "tiny-llada-moe-sorting-commit-order.dat" index 4 using 1:2:3 with image notitle
set title "eb_sampler gamma=0.1 (8 steps)"
set xrange [-0.5:7.5]
set yrange [-0.5:0.5]
plot "tiny-llada-moe-sorting-commit-order.dat" index 5 using 1:2:3 with image notitle
set title "eb_sampler gamma=1.0 (8 steps)"
set xrange [-0.5:7.5]
set yrange [-0.5:0.5]
plot "tiny-llada-moe-sorting-commit-order.dat" index 6 using 1:2:3 with image notitle
set title "eb_sampler gamma=10.0 (8 steps)"
set xrange [-0.5:7.5]
set yrange [-0.5:0.5]
plot "tiny-llada-moe-sorting-commit-order.dat" index 7 using 1:2:3 with image notitle
set title "gemma_entropy_bound entropy_bound=0.01 (8 steps)"
set xrange [-0.5:7.5]
set yrange [-0.5:0.5]
plot "tiny-llada-moe-sorting-commit-order.dat" index 8 using 1:2:3 with image notitle
set title "gemma_entropy_bound entropy_bound=0.1 (8 steps)"
set xrange [-0.5:7.5]
set yrange [-0.5:0.5]
plot "tiny-llada-moe-sorting-commit-order.dat" index 9 using 1:2:3 with image notitle
set title "gemma_entropy_bound entropy_bound=1.0 (8 steps)"
set xrange [-0.5:7.5]
set yrange [-0.5:0.5]
plot "tiny-llada-moe-sorting-commit-order.dat" index 10 using 1:2:3 with image notitle
set title "llada_low_confidence (8 steps)"
set xrange [-0.5:7.5]
set yrange [-0.5:7.5]
plot "tiny-llada-moe-sorting-commit-order.dat" index 11 using 1:2:3 with image notitle
set title "autoregressive (8 steps)"
set xrange [-0.5:7.5]
set yrange [-0.5:7.5]
plot "tiny-llada-moe-sorting-commit-order.dat" index 12 using 1:2:3 with image notitle
unset multiplot
unset output
reset
set datafile separator "\t"
set terminal svg size 2280,1020 font "DejaVu Sans,11" noenhanced background "white"
set output "tiny-llada-moe-sorting-commit-order.svg"
set multiplot layout 3,6 title "tiny-llada-moe · sorting: commit order at the largest step budget (colour: fraction of examples)" font ",12"
set palette defined (0 "white", 0.25 "#9ecae1", 0.6 "#3182bd", 1 "#08306b")
set cbrange [0:*]
set xlabel "canvas position"
set ylabel "step of commit"
set tics out
set title "fast_dllm_threshold threshold=0.5 (8 steps)"
set xrange [-0.5:7.5]
set yrange [-0.5:0.5]
plot "tiny-llada-moe-sorting-commit-order.dat" index 0 using 1:2:3 with image notitle
set title "fast_dllm_threshold threshold=0.7 (8 steps)"
set xrange [-0.5:7.5]
set yrange [-0.5:0.5]
plot "tiny-llada-moe-sorting-commit-order.dat" index 1 using 1:2:3 with image notitle
set title "fast_dllm_threshold threshold=0.9 (8 steps)"
set xrange [-0.5:7.5]
set yrange [-0.5:0.5]
plot "tiny-llada-moe-sorting-commit-order.dat" index 2 using 1:2:3 with image notitle
set title "fast_dllm_threshold threshold=0.99 (8 steps)"
set xrange [-0.5:7.5]
set yrange [-0.5:1.5]
plot "tiny-llada-moe-sorting-commit-order.dat" index 3 using 1:2:3 with image notitle
set title "eb_sampler gamma=0.01 (8 steps)"
set xrange [-0.5:7.5]
set yrange [-0.5:1.5]
plot "tiny-llada-moe-sorting-commit-order.dat" index 4 using 1:2:3 with image notitle
set title "eb_sampler gamma=0.1 (8 steps)"
set xrange [-0.5:7.5]
set yrange [-0.5:0.5]
plot "tiny-llada-moe-sorting-commit-order.dat" index 5 using 1:2:3 with image notitle
set title "eb_sampler gamma=1.0 (8 steps)"
set xrange [-0.5:7.5]
set yrange [-0.5:0.5]
plot "tiny-llada-moe-sorting-commit-order.dat" index 6 using 1:2:3 with image notitle
set title "eb_sampler gamma=10.0 (8 steps)"
set xrange [-0.5:7.5]
set yrange [-0.5:0.5]
plot "tiny-llada-moe-sorting-commit-order.dat" index 7 using 1:2:3 with image notitle
set title "gemma_entropy_bound entropy_bound=0.01 (8 steps)"
set xrange [-0.5:7.5]
set yrange [-0.5:0.5]
plot "tiny-llada-moe-sorting-commit-order.dat" index 8 using 1:2:3 with image notitle
set title "gemma_entropy_bound entropy_bound=0.1 (8 steps)"
set xrange [-0.5:7.5]
set yrange [-0.5:0.5]
plot "tiny-llada-moe-sorting-commit-order.dat" index 9 using 1:2:3 with image notitle
set title "gemma_entropy_bound entropy_bound=1.0 (8 steps)"
set xrange [-0.5:7.5]
set yrange [-0.5:0.5]
plot "tiny-llada-moe-sorting-commit-order.dat" index 10 using 1:2:3 with image notitle
set title "llada_low_confidence (8 steps)"
set xrange [-0.5:7.5]
set yrange [-0.5:7.5]
plot "tiny-llada-moe-sorting-commit-order.dat" index 11 using 1:2:3 with image notitle
set title "autoregressive (8 steps)"
set xrange [-0.5:7.5]
set yrange [-0.5:7.5]
plot "tiny-llada-moe-sorting-commit-order.dat" index 12 using 1:2:3 with image notitle
unset multiplot
unset output
