# llada-2-0-mini-amd-ryzen-9-9950x-dual-channel-ddr5-5600-bf16.gp: regenerate llada-2-0-mini-amd-ryzen-9-9950x-dual-channel-ddr5-5600-bf16.png and llada-2-0-mini-amd-ryzen-9-9950x-dual-channel-ddr5-5600-bf16.svg with `gnuplot llada-2-0-mini-amd-ryzen-9-9950x-dual-channel-ddr5-5600-bf16.gp` in this folder.
# Data: llada-2-0-mini-amd-ryzen-9-9950x-dual-channel-ddr5-5600-bf16.dat. Written by `dlab plot` (DiffusionLab).
set encoding utf8
set datafile separator "\t"
set terminal pngcairo size 1400,620 font "DejaVu Sans,11" noenhanced
set output "llada-2-0-mini-amd-ryzen-9-9950x-dual-channel-ddr5-5600-bf16.png"
set multiplot layout 1,2 title "LLaDA 2.0 mini on AMD Ryzen 9 9950X, dual-channel DDR5-5600, bf16, context 1024 (roofline projection)" font ",13"
set logscale x 2
set format x "%g"
set logscale y 10
set grid
set xlabel "concurrent users"
set key bottom left box opaque
set arrow 1 from 1, graph 0 to 1, graph 1 nohead dt 2 lw 1.5 lc rgb "#555555"
set label 1 "AR+MTP ahead from 1 user" at 1, graph 0.96 left offset 0.5,0 font ",10"
set arrow 2 from 77, graph 0 to 77, graph 1 nohead dt 2 lw 1.5 lc rgb "#555555"
set label 2 "AR+MTP overtakes: 77 users" at 77, graph 0.9 right offset -0.5,0 font ",10"
set arrow 3 from 13, graph 0 to 13, graph 1 nohead dt 2 lw 1.5 lc rgb "#555555"
set label 3 "diffusion overtakes: 13 users" at 13, graph 0.84 left offset 0.5,0 font ",10"
set ylabel "tokens/s per user"
plot "llada-2-0-mini-amd-ryzen-9-9950x-dual-channel-ddr5-5600-bf16.dat" index 0 using 1:2 with lines lw 2.5 lc rgb "#0072B2" title "AR", \
     "llada-2-0-mini-amd-ryzen-9-9950x-dual-channel-ddr5-5600-bf16.dat" index 1 using 1:2 with lines lw 2.5 lc rgb "#D55E00" title "AR+MTP (k=1)", \
     "llada-2-0-mini-amd-ryzen-9-9950x-dual-channel-ddr5-5600-bf16.dat" index 2 using 1:2 with lines lw 2.5 lc rgb "#009E73" title "diffusion (block 32)"
set ylabel "tokens/s in total"
plot "llada-2-0-mini-amd-ryzen-9-9950x-dual-channel-ddr5-5600-bf16.dat" index 0 using 1:3 with lines lw 2.5 lc rgb "#0072B2" title "AR", \
     "llada-2-0-mini-amd-ryzen-9-9950x-dual-channel-ddr5-5600-bf16.dat" index 1 using 1:3 with lines lw 2.5 lc rgb "#D55E00" title "AR+MTP (k=1)", \
     "llada-2-0-mini-amd-ryzen-9-9950x-dual-channel-ddr5-5600-bf16.dat" index 2 using 1:3 with lines lw 2.5 lc rgb "#009E73" title "diffusion (block 32)"
unset multiplot
unset output
reset
set datafile separator "\t"
set terminal svg size 1400,620 font "DejaVu Sans,11" noenhanced background "white"
set output "llada-2-0-mini-amd-ryzen-9-9950x-dual-channel-ddr5-5600-bf16.svg"
set multiplot layout 1,2 title "LLaDA 2.0 mini on AMD Ryzen 9 9950X, dual-channel DDR5-5600, bf16, context 1024 (roofline projection)" font ",13"
set logscale x 2
set format x "%g"
set logscale y 10
set grid
set xlabel "concurrent users"
set key bottom left box opaque
set arrow 1 from 1, graph 0 to 1, graph 1 nohead dt 2 lw 1.5 lc rgb "#555555"
set label 1 "AR+MTP ahead from 1 user" at 1, graph 0.96 left offset 0.5,0 font ",10"
set arrow 2 from 77, graph 0 to 77, graph 1 nohead dt 2 lw 1.5 lc rgb "#555555"
set label 2 "AR+MTP overtakes: 77 users" at 77, graph 0.9 right offset -0.5,0 font ",10"
set arrow 3 from 13, graph 0 to 13, graph 1 nohead dt 2 lw 1.5 lc rgb "#555555"
set label 3 "diffusion overtakes: 13 users" at 13, graph 0.84 left offset 0.5,0 font ",10"
set ylabel "tokens/s per user"
plot "llada-2-0-mini-amd-ryzen-9-9950x-dual-channel-ddr5-5600-bf16.dat" index 0 using 1:2 with lines lw 2.5 lc rgb "#0072B2" title "AR", \
     "llada-2-0-mini-amd-ryzen-9-9950x-dual-channel-ddr5-5600-bf16.dat" index 1 using 1:2 with lines lw 2.5 lc rgb "#D55E00" title "AR+MTP (k=1)", \
     "llada-2-0-mini-amd-ryzen-9-9950x-dual-channel-ddr5-5600-bf16.dat" index 2 using 1:2 with lines lw 2.5 lc rgb "#009E73" title "diffusion (block 32)"
set ylabel "tokens/s in total"
plot "llada-2-0-mini-amd-ryzen-9-9950x-dual-channel-ddr5-5600-bf16.dat" index 0 using 1:3 with lines lw 2.5 lc rgb "#0072B2" title "AR", \
     "llada-2-0-mini-amd-ryzen-9-9950x-dual-channel-ddr5-5600-bf16.dat" index 1 using 1:3 with lines lw 2.5 lc rgb "#D55E00" title "AR+MTP (k=1)", \
     "llada-2-0-mini-amd-ryzen-9-9950x-dual-channel-ddr5-5600-bf16.dat" index 2 using 1:3 with lines lw 2.5 lc rgb "#009E73" title "diffusion (block 32)"
unset multiplot
unset output
