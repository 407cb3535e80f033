/* JSON helpers shared by the verifier's two halves (verify.c for rank
   certificates, verify_capacity.c for capacity certificates). */
#ifndef GENRANK_VERIFY_COMMON_H
#define GENRANK_VERIFY_COMMON_H
#include <jansson.h>
#include <arb.h>
#include "genrank.h"

/* A JSON integer: a number, or a decimal string of any size.  0 or -1. */
int _genrank_json_int(fmpz_t x, const json_t *v);
/* A JSON integer in [lo, hi]; a nonnegative word-size one.  0 or -1. */
int _genrank_json_slong(slong *out, const json_t *v, slong lo, slong hi);
int _genrank_json_ulong(ulong *out, const json_t *v);
/* a must be an array of `rows` arrays of `cols` entries each. */
int _genrank_json_shape(const json_t *a, slong rows, slong cols, const char *name,
                        genrank_err_t *err);
/* `count` strictly increasing indices in [0, bound). */
int _genrank_json_indices(slong *v, const json_t *a, slong count, slong bound,
                          const char *name, genrank_err_t *err);
/* 1 when the recorded decimal value, widened by a relative 2^-40,
   overlaps the ball det; 0 when not; -1 when it is not a number. */
int _genrank_ball_det_matches(const arb_t det, const char *rec, slong prec);
/* The ball route's witness: det (computed by the checker) must exclude 0
   and match the witness's recorded "det".  0 or an error. */
int _genrank_ball_witness_check(const arb_t det, const json_t *w, slong prec,
                                genrank_err_t *err);
/* Checks a capacity certificate (verify_capacity.c). */
int _genrank_verify_capacity(const json_t *root, genrank_verify_info_t *info,
                             genrank_err_t *err);
#endif
