# tiny-diffusiongemma-sorting-commit-order.gp: regenerate tiny-diffusiongemma-sorting-commit-order.png and tiny-diffusiongemma-sorting-commit-order.svg with `gnuplot tiny-diffusiongemma-sorting-commit-order.gp` in this folder.
# Data: tiny-diffusiongemma-sorting-commit-order.dat. Written by `dlab plot` (DiffusionLab).
set encoding utf8
set datafile separator "\t"
set terminal pngcairo size 1200,380 font "DejaVu Sans,11" noenhanced
set output "tiny-diffusiongemma-sorting-commit-order.png"
set multiplot layout 1,3 title "tiny-diffusiongemma · sorting: commit order at the largest step budget (colour: fraction of examples)" font ",12"
set palette defined (0 "white", 0.25 "#9ecae1", 0.6 "#3182bd", 1 "#08306b")
set cbrange [0:*]
set xlabel "canvas position"
set ylabel "step of commit"
set tics out
set title "gemma_entropy_bound entropy_bound=0.01 (8 steps)"
set xrange [-0.5:7.5]
set yrange [-0.5:0.5]
plot "tiny-diffusiongemma-sorting-commit-order.dat" index 0 using 1:2:3 with image notitle
set title "gemma_entropy_bound entropy_bound=0.1 (8 steps)"
set xrange [-0.5:7.5]
set yrange [-0.5:0.5]
plot "tiny-diffusiongemma-sorting-commit-order.dat" index 1 using 1:2:3 with image notitle
set title "gemma_entropy_bound entropy_bound=1.0 (8 steps)"
set xrange [-0.5:7.5]
set yrange [-0.5:0.5]
plot "tiny-diffusiongemma-sorting-commit-order.dat" index 2 using 1:2:3 with image notitle
unset multiplot
unset output
reset
set datafile separator "\t"
set terminal svg size 1200,380 font "DejaVu Sans,11" noenhanced background "white"
set output "tiny-diffusiongemma-sorting-commit-order.svg"
set multiplot layout 1,3 title "tiny-diffusiongemma · sorting: commit order at the largest step budget (colour: fraction of examples)" font ",12"
set palette defined (0 "white", 0.25 "#9ecae1", 0.6 "#3182bd", 1 "#08306b")
set cbrange [0:*]
set xlabel "canvas position"
set ylabel "step of commit"
set tics out
set title "gemma_entropy_bound entropy_bound=0.01 (8 steps)"
set xrange [-0.5:7.5]
set yrange [-0.5:0.5]
plot "tiny-diffusiongemma-sorting-commit-order.dat" index 0 using 1:2:3 with image notitle
set title "gemma_entropy_bound entropy_bound=0.1 (8 steps)"
set xrange [-0.5:7.5]
set yrange [-0.5:0.5]
plot "tiny-diffusiongemma-sorting-commit-order.dat" index 1 using 1:2:3 with image notitle
set title "gemma_entropy_bound entropy_bound=1.0 (8 steps)"
set xrange [-0.5:7.5]
set yrange [-0.5:0.5]
plot "tiny-diffusiongemma-sorting-commit-order.dat" index 2 using 1:2:3 with image notitle
unset multiplot
unset output
