# sudoku4-commit-order.gp: regenerate sudoku4-commit-order.png and sudoku4-commit-order.svg with `gnuplot sudoku4-commit-order.gp` in this folder.
# Data: sudoku4-commit-order.dat. Written by `dlab plot` (DiffusionLab).
set encoding utf8
set datafile separator "\t"
set terminal pngcairo size 720,380 font "DejaVu Sans,11" noenhanced
set output "sudoku4-commit-order.png"
set multiplot layout 1,1 title "sudoku4: commit order at the largest step budget (colour: fraction of examples)" font ",12"
set palette defined (0 "white", 0.25 "#9ecae1", 0.6 "#3182bd", 1 "#08306b")
set cbrange [0:*]
set xlabel "canvas position"
set ylabel "step of commit"
set tics out
set title "llada_low_confidence (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "sudoku4-commit-order.dat" index 0 using 1:2:3 with image notitle
unset multiplot
unset output
reset
set datafile separator "\t"
set terminal svg size 720,380 font "DejaVu Sans,11" noenhanced background "white"
set output "sudoku4-commit-order.svg"
set multiplot layout 1,1 title "sudoku4: commit order at the largest step budget (colour: fraction of examples)" font ",12"
set palette defined (0 "white", 0.25 "#9ecae1", 0.6 "#3182bd", 1 "#08306b")
set cbrange [0:*]
set xlabel "canvas position"
set ylabel "step of commit"
set tics out
set title "llada_low_confidence (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "sudoku4-commit-order.dat" index 0 using 1:2:3 with image notitle
unset multiplot
unset output
