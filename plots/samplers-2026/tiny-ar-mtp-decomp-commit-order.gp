# tiny-ar-mtp-decomp-commit-order.gp: regenerate tiny-ar-mtp-decomp-commit-order.png and tiny-ar-mtp-decomp-commit-order.svg with `gnuplot tiny-ar-mtp-decomp-commit-order.gp` in this folder.
# Data: tiny-ar-mtp-decomp-commit-order.dat. Written by `dlab plot` (DiffusionLab).
set encoding utf8
set datafile separator "\t"
set terminal pngcairo size 909,380 font "DejaVu Sans,11" noenhanced
set output "tiny-ar-mtp-decomp-commit-order.png"
set multiplot layout 1,2 title "tiny-ar-mtp · decomp: commit order at the largest step budget (colour: fraction of examples)" font ",12"
set palette defined (0 "white", 0.25 "#9ecae1", 0.6 "#3182bd", 1 "#08306b")
set cbrange [0:*]
set xlabel "canvas position"
set ylabel "step of commit"
set tics out
set title "ar_greedy (budget-free)"
set xrange [-0.5:6.5]
set yrange [-0.5:6.5]
plot "tiny-ar-mtp-decomp-commit-order.dat" index 0 using 1:2:3 with image notitle
set title "ar_mtp (budget-free)"
set xrange [-0.5:6.5]
set yrange [-0.5:4.5]
plot "tiny-ar-mtp-decomp-commit-order.dat" index 1 using 1:2:3 with image notitle
unset multiplot
unset output
reset
set datafile separator "\t"
set terminal svg size 909,380 font "DejaVu Sans,11" noenhanced background "white"
set output "tiny-ar-mtp-decomp-commit-order.svg"
set multiplot layout 1,2 title "tiny-ar-mtp · decomp: commit order at the largest step budget (colour: fraction of examples)" font ",12"
set palette defined (0 "white", 0.25 "#9ecae1", 0.6 "#3182bd", 1 "#08306b")
set cbrange [0:*]
set xlabel "canvas position"
set ylabel "step of commit"
set tics out
set title "ar_greedy (budget-free)"
set xrange [-0.5:6.5]
set yrange [-0.5:6.5]
plot "tiny-ar-mtp-decomp-commit-order.dat" index 0 using 1:2:3 with image notitle
set title "ar_mtp (budget-free)"
set xrange [-0.5:6.5]
set yrange [-0.5:4.5]
plot "tiny-ar-mtp-decomp-commit-order.dat" index 1 using 1:2:3 with image notitle
unset multiplot
unset output
