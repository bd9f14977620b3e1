// ggml's reference K-quantizers, transcribed for one purpose: writing the fixture that checks DiffusionLab's
// Swift ports (Sources/DiffusionEngine/GGUF/KQuantize.swift) byte for byte. Not part of the product.
// Source: https://github.com/ggml-org/llama.cpp/blob/master/ggml/src/ggml-quants.c (nearest_int,
// get_scale_min_k4, make_qkx2_quants, make_qx_quants, quantize_row_q4_K_ref, quantize_row_q5_K_ref,
// quantize_row_q6_K_ref), MIT License, Copyright (c) 2023-2024 The ggml authors.
// GGML_FP32_TO_FP16 / GGML_FP16_TO_FP32 are the compiler's _Float16 conversions (round to nearest even).
// Build and run: make_fixture.sh next to this file.
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <math.h>
#include <stdlib.h>
#define QK_K 256
#define MAX(a,b) ((a)>(b)?(a):(b))
#define MIN(a,b) ((a)<(b)?(a):(b))
#define GROUP_MAX_EPS 1e-15f
typedef uint16_t fp16;
static fp16 F16(float f){ _Float16 h=(_Float16)f; fp16 r; memcpy(&r,&h,2); return r; }
static float F32(fp16 h){ _Float16 x; memcpy(&x,&h,2); return (float)x; }
static inline int nearest_int(float fval){ float val=fval+12582912.f; int i; memcpy(&i,&val,sizeof(int)); return (i & 0x007fffff) - 0x00400000; }
static void get_scale_min_k4(int j, const uint8_t *q, uint8_t *d, uint8_t *m){ if(j<4){*d=q[j]&63;*m=q[j+4]&63;}else{*d=(q[j+4]&0xF)|((q[j-4]>>6)<<4);*m=(q[j+4]>>4)|((q[j-0]>>6)<<4);} }
static float make_qkx2_quants(int n,int nmax,const float*x,const float*weights,uint8_t*L,float*the_min,uint8_t*Laux,float rmin,float rdelta,int nstep,int use_mad){
 float min=x[0],max=x[0],sum_w=weights[0],sum_x=sum_w*x[0];
 for(int i=1;i<n;++i){ if(x[i]<min)min=x[i]; if(x[i]>max)max=x[i]; float w=weights[i]; sum_w+=w; sum_x+=w*x[i]; }
 if(min>0)min=0; if(max==min){for(int i=0;i<n;++i)L[i]=0;*the_min=-min;return 0.f;}
 float iscale=nmax/(max-min); float scale=1/iscale; float best_mad=0;
 for(int i=0;i<n;++i){int l=nearest_int(iscale*(x[i]-min)); L[i]=MAX(0,MIN(nmax,l)); float diff=scale*L[i]+min-x[i]; diff=use_mad?fabsf(diff):diff*diff; float w=weights[i]; best_mad+=w*diff;}
 if(nstep<1){*the_min=-min;return scale;}
 for(int is=0;is<=nstep;++is){ iscale=(rmin+rdelta*is+nmax)/(max-min); float sum_l=0,sum_l2=0,sum_xl=0;
  for(int i=0;i<n;++i){int l=nearest_int(iscale*(x[i]-min)); l=MAX(0,MIN(nmax,l)); Laux[i]=l; float w=weights[i]; sum_l+=w*l; sum_l2+=w*l*l; sum_xl+=w*l*x[i];}
  float D=sum_w*sum_l2-sum_l*sum_l;
  if(D>0){ float this_scale=(sum_w*sum_xl-sum_x*sum_l)/D; float this_min=(sum_l2*sum_x-sum_l*sum_xl)/D; if(this_min>0){this_min=0;this_scale=sum_xl/sum_l2;}
   float mad=0; for(int i=0;i<n;++i){float diff=this_scale*Laux[i]+this_min-x[i]; diff=use_mad?fabsf(diff):diff*diff; float w=weights[i]; mad+=w*diff;}
   if(mad<best_mad){for(int i=0;i<n;++i)L[i]=Laux[i]; best_mad=mad; scale=this_scale; min=this_min;} } }
 *the_min=-min; return scale; }
static float make_qx_quants(int n,int nmax,const float*x,int8_t*L,int rmse_type,const float*qw){
 float max=0,amax=0; for(int i=0;i<n;++i){float ax=fabsf(x[i]); if(ax>amax){amax=ax;max=x[i];}}
 if(amax<GROUP_MAX_EPS){for(int i=0;i<n;++i)L[i]=0;return 0.f;}
 float iscale=-nmax/max;
 if(rmse_type==0){for(int i=0;i<n;++i){int l=nearest_int(iscale*x[i]);L[i]=nmax+MAX(-nmax,MIN(nmax-1,l));}return 1/iscale;}
 int return_early=0; if(rmse_type<0){rmse_type=-rmse_type;return_early=1;}
 float sumlx=0,suml2=0;
 for(int i=0;i<n;++i){int l=nearest_int(iscale*x[i]); l=MAX(-nmax,MIN(nmax-1,l)); L[i]=l+nmax; float w=qw?qw[i]:rmse_type==1?x[i]*x[i]:rmse_type==2?1:rmse_type==3?fabsf(x[i]):sqrtf(fabsf(x[i])); sumlx+=w*x[i]*l; suml2+=w*l*l;}
 float scale=suml2?sumlx/suml2:0.0f; if(return_early)return suml2>0?0.5f*(scale+1/iscale):1/iscale;
 float best=scale*sumlx;
 for(int is=-9;is<=9;++is){ if(is==0)continue; iscale=-(nmax+0.1f*is)/max; sumlx=suml2=0;
  for(int i=0;i<n;++i){int l=nearest_int(iscale*x[i]); l=MAX(-nmax,MIN(nmax-1,l)); float w=qw?qw[i]:rmse_type==1?x[i]*x[i]:rmse_type==2?1:rmse_type==3?fabsf(x[i]):sqrtf(fabsf(x[i])); sumlx+=w*x[i]*l; suml2+=w*l*l;}
  if(suml2>0&&sumlx*sumlx>best*suml2){for(int i=0;i<n;++i){int l=nearest_int(iscale*x[i]);L[i]=nmax+MAX(-nmax,MIN(nmax-1,l));} scale=sumlx/suml2; best=scale*sumlx;} }
 return scale; }
typedef struct { fp16 d, dmin; uint8_t scales[12]; uint8_t qs[128]; } bq4;
typedef struct { fp16 d, dmin; uint8_t scales[12]; uint8_t qh[32]; uint8_t qs[128]; } bq5;
typedef struct { uint8_t ql[128]; uint8_t qh[64]; int8_t scales[16]; fp16 d; } bq6;
static void q4K(const float*x,bq4*y,int k){ int nb=k/QK_K; uint8_t L[QK_K],Laux[32]; float weights[32],mins[8],scales[8];
 for(int i=0;i<nb;i++){ float max_scale=0,max_min=0;
  for(int j=0;j<8;++j){ float sum_x2=0; for(int l=0;l<32;++l)sum_x2+=x[32*j+l]*x[32*j+l]; float av_x=sqrtf(sum_x2/32); for(int l=0;l<32;++l)weights[l]=av_x+fabsf(x[32*j+l]);
   scales[j]=make_qkx2_quants(32,15,x+32*j,weights,L+32*j,&mins[j],Laux,-1.f,0.1f,20,0); if(scales[j]>max_scale)max_scale=scales[j]; if(mins[j]>max_min)max_min=mins[j]; }
  float inv_scale=max_scale>0?63.f/max_scale:0.f, inv_min=max_min>0?63.f/max_min:0.f; memset(y[i].scales,0,12);
  for(int j=0;j<8;++j){ uint8_t ls=nearest_int(inv_scale*scales[j]); uint8_t lm=nearest_int(inv_min*mins[j]); ls=MIN(63,ls); lm=MIN(63,lm);
   if(j<4){y[i].scales[j]=ls;y[i].scales[j+4]=lm;}else{y[i].scales[j+4]=(ls&0xF)|((lm&0xF)<<4); y[i].scales[j-4]|=((ls>>4)<<6); y[i].scales[j-0]|=((lm>>4)<<6);} }
  y[i].d=F16(max_scale/63.f); y[i].dmin=F16(max_min/63.f);
  uint8_t sc,m; for(int j=0;j<8;++j){ get_scale_min_k4(j,y[i].scales,&sc,&m); const float d=F32(y[i].d)*sc; if(!d)continue; const float dm=F32(y[i].dmin)*m;
   for(int ii=0;ii<32;++ii){int l=nearest_int((x[32*j+ii]+dm)/d); l=MAX(0,MIN(15,l)); L[32*j+ii]=l;} }
  uint8_t*q=y[i].qs; for(int j=0;j<QK_K;j+=64){for(int l=0;l<32;++l)q[l]=L[j+l]|(L[j+l+32]<<4); q+=32;}
  x+=QK_K; } }
static void q5K(const float*x,bq5*y,int k){ int nb=k/QK_K; uint8_t L[QK_K],Laux[32]; float weights[32],mins[8],scales[8];
 for(int i=0;i<nb;i++){ float max_scale=0,max_min=0;
  for(int j=0;j<8;++j){ float sum_x2=0; for(int l=0;l<32;++l)sum_x2+=x[32*j+l]*x[32*j+l]; float av_x=sqrtf(sum_x2/32); for(int l=0;l<32;++l)weights[l]=av_x+fabsf(x[32*j+l]);
   scales[j]=make_qkx2_quants(32,31,x+32*j,weights,L+32*j,&mins[j],Laux,-0.5f,0.1f,15,0); if(scales[j]>max_scale)max_scale=scales[j]; if(mins[j]>max_min)max_min=mins[j]; }
  float inv_scale=max_scale>0?63.f/max_scale:0.f, inv_min=max_min>0?63.f/max_min:0.f; memset(y[i].scales,0,12);
  for(int j=0;j<8;++j){ uint8_t ls=nearest_int(inv_scale*scales[j]); uint8_t lm=nearest_int(inv_min*mins[j]); ls=MIN(63,ls); lm=MIN(63,lm);
   if(j<4){y[i].scales[j]=ls;y[i].scales[j+4]=lm;}else{y[i].scales[j+4]=(ls&0xF)|((lm&0xF)<<4); y[i].scales[j-4]|=((ls>>4)<<6); y[i].scales[j-0]|=((lm>>4)<<6);} }
  y[i].d=F16(max_scale/63.f); y[i].dmin=F16(max_min/63.f);
  uint8_t sc,m; for(int j=0;j<8;++j){ get_scale_min_k4(j,y[i].scales,&sc,&m); const float d=F32(y[i].d)*sc; if(!d)continue; const float dm=F32(y[i].dmin)*m;
   for(int ii=0;ii<32;++ii){int l=nearest_int((x[32*j+ii]+dm)/d); l=MAX(0,MIN(31,l)); L[32*j+ii]=l;} }
  uint8_t*qh=y[i].qh,*ql=y[i].qs; memset(qh,0,32); uint8_t m1=1,m2=2;
  for(int n=0;n<QK_K;n+=64){ for(int j=0;j<32;++j){ int l1=L[n+j]; if(l1>15){l1-=16;qh[j]|=m1;} int l2=L[n+j+32]; if(l2>15){l2-=16;qh[j]|=m2;} ql[j]=l1|(l2<<4);} m1<<=2;m2<<=2; ql+=32; }
  x+=QK_K; } }
static void q6K(const float*x,bq6*y,int k){ int nb=k/QK_K; int8_t L[QK_K]; float scales[16];
 for(int i=0;i<nb;i++){ float max_scale=0,max_abs_scale=0;
  for(int ib=0;ib<16;++ib){ const float scale=make_qx_quants(16,32,x+16*ib,L+16*ib,1,NULL); scales[ib]=scale; const float abs_scale=fabsf(scale); if(abs_scale>max_abs_scale){max_abs_scale=abs_scale;max_scale=scale;} }
  if(max_abs_scale<GROUP_MAX_EPS){ memset(&y[i],0,sizeof(bq6)); y[i].d=F16(0.f); x+=QK_K; continue; }
  float iscale=-128.f/max_scale; y[i].d=F16(1/iscale); for(int ib=0;ib<16;++ib) y[i].scales[ib]=MIN(127,nearest_int(iscale*scales[ib]));
  for(int j=0;j<16;++j){ float d=F32(y[i].d)*y[i].scales[j]; if(!d)continue; for(int ii=0;ii<16;++ii){int l=nearest_int(x[16*j+ii]/d); l=MAX(-32,MIN(31,l)); L[16*j+ii]=l+32;} }
  uint8_t*ql=y[i].ql,*qh=y[i].qh;
  for(int j=0;j<QK_K;j+=128){ for(int l=0;l<32;++l){ const uint8_t q1=L[j+l+0]&0xF,q2=L[j+l+32]&0xF,q3=L[j+l+64]&0xF,q4=L[j+l+96]&0xF; ql[l+0]=q1|(q3<<4); ql[l+32]=q2|(q4<<4); qh[l]=(L[j+l]>>4)|((L[j+l+32]>>4)<<2)|((L[j+l+64]>>4)<<4)|((L[j+l+96]>>4)<<6);} ql+=64; qh+=32; }
  x+=QK_K; } }
/* Deterministic input: SplitMix64 → Box-Muller normals at several scales, plus edge blocks. */
static uint64_t state = 20261201;
static uint64_t next64(void) { uint64_t z = (state += 0x9E3779B97F4A7C15ull); z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull; z = (z ^ (z >> 27)) * 0x94D049BB133111EBull; return z ^ (z >> 31); }
static float uniform(void) { return ((next64() >> 40) + 0.5f) * 0x1p-24f; }
static float normal(void) { return sqrtf(-2.f * logf(uniform())) * cosf(6.2831853f * uniform()); }

int main(int argc, char ** argv) {
    const int blocks = 40, n = 256 * blocks;
    float * x = malloc(n * sizeof(float));
    const float scales[] = {1e-3f, 0.02f, 1.f, 30.f};
    for (int b = 0; b < 32; ++b) for (int i = 0; i < 256; ++i) x[256 * b + i] = normal() * scales[b % 4];
    for (int i = 0; i < 256; ++i) x[256 * 32 + i] = 0.f;                          /* all zero */
    for (int i = 0; i < 256; ++i) x[256 * 33 + i] = 0.25f;                        /* constant */
    for (int i = 0; i < 256; ++i) x[256 * 34 + i] = fabsf(normal()) + 0.5f;       /* all positive */
    for (int i = 0; i < 256; ++i) x[256 * 35 + i] = -fabsf(normal()) - 0.5f;      /* all negative */
    for (int i = 0; i < 256; ++i) x[256 * 36 + i] = normal() * (i % 37 == 0 ? 40.f : 1.f); /* outliers */
    for (int i = 0; i < 256; ++i) x[256 * 37 + i] = (i < 16 ? 0.f : normal());  /* a zero sub-block */
    for (int i = 0; i < 256; ++i) x[256 * 38 + i] = normal() * 1e-6f;             /* F16 subnormal scales */
    for (int i = 0; i < 256; ++i) x[256 * 39 + i] = (float)(i % 16) - 7.5f;       /* exact levels */
    bq4 * a = calloc(blocks, sizeof(bq4)); bq5 * b = calloc(blocks, sizeof(bq5)); bq6 * c = calloc(blocks, sizeof(bq6));
    q4K(x, a, n); q5K(x, b, n); q6K(x, c, n);
    const char * dir = argc > 1 ? argv[1] : ".";
    char path[4096];
    FILE * o;
    snprintf(path, sizeof path, "%s/input.f32", dir); o = fopen(path, "wb"); fwrite(x, sizeof(float), n, o); fclose(o);
    snprintf(path, sizeof path, "%s/q4_k.bin", dir); o = fopen(path, "wb"); fwrite(a, sizeof(bq4), blocks, o); fclose(o);
    snprintf(path, sizeof path, "%s/q5_k.bin", dir); o = fopen(path, "wb"); fwrite(b, sizeof(bq5), blocks, o); fclose(o);
    snprintf(path, sizeof path, "%s/q6_k.bin", dir); o = fopen(path, "wb"); fwrite(c, sizeof(bq6), blocks, o); fclose(o);
    return 0;
}
