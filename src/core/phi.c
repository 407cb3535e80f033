/* Named analytic activations: names, classes, definitions, and their
   values in ball arithmetic (Arb; the prover's ball route and the checker
   share this, as it is phi's definition) and in double precision (for
   --compare-float).  The prover's values modulo p are in
   families/phi_mod.c, the checker's in check/named.c.  doc/theory.md, "Analytic
   activations", gives the argument for each route. */
#include <math.h>
#include <string.h>
#include <arb.h>
#include <arb_hypgeom.h>
#include "genrank.h"
#include "core.h"

#define GENRANK_PI 3.14159265358979323846

typedef struct {
    const char *name;
    int cls;
    const char *definition;   /* in x, and T = e^x (exp class) or T = e^(ix) (trig class) */
} phi_info_t;

static const phi_info_t table[GENRANK_PHI_COUNT] = {
    {"polynomial", 0, "sum of c_k x^k"},
    {"exp", GENRANK_CLASS_EXP, "e^x = T"},
    {"sinh", GENRANK_CLASS_EXP, "(T^2 - 1) / (2T)"},
    {"cosh", GENRANK_CLASS_EXP, "(T^2 + 1) / (2T)"},
    {"tanh", GENRANK_CLASS_EXP, "(T^2 - 1) / (T^2 + 1)"},
    {"tanh'", GENRANK_CLASS_EXP, "1 - tanh(x)^2 = 4T^2 / (T^2 + 1)^2"},
    {"sigmoid", GENRANK_CLASS_EXP, "1 / (1 + e^-x) = T / (T + 1)"},
    {"sigmoid'", GENRANK_CLASS_EXP, "sigmoid(x) (1 - sigmoid(x)) = T / (T + 1)^2"},
    {"silu", GENRANK_CLASS_EXP, "x sigmoid(x) = x T / (T + 1)"},
    {"silu'", GENRANK_CLASS_EXP, "sigmoid(x) + x sigmoid'(x) = T (T + 1 + x) / (T + 1)^2"},
    {"sin", GENRANK_CLASS_TRIG, "(T^2 - 1) / (2i T), T = e^(ix)"},
    {"cos", GENRANK_CLASS_TRIG, "(T^2 + 1) / (2T), T = e^(ix)"},
    {"cos'", GENRANK_CLASS_TRIG, "-sin(x) = -(T^2 - 1) / (2i T), T = e^(ix)"},
    {"arctan'", GENRANK_CLASS_RATIONAL, "1 / (1 + x^2)"},
    {"erf", GENRANK_CLASS_BALL, "(2 / sqrt(pi)) integral_0^x e^(-s^2) ds"},
    {"erf'", GENRANK_CLASS_BALL, "(2 / sqrt(pi)) e^(-x^2)"},
    {"gelu", GENRANK_CLASS_BALL, "x Phi(x) = x (1 + erf(x / sqrt 2)) / 2"},
    {"gelu'", GENRANK_CLASS_BALL, "Phi(x) + x e^(-x^2/2) / sqrt(2 pi)"},
    {"arctan", GENRANK_CLASS_BALL, "arctan(x)"},
    {"softplus", GENRANK_CLASS_BALL, "log(1 + e^x)"},
    {"relu'", GENRANK_CLASS_SIGN, "1 if x > 0, 0 if x < 0 (no value at 0)"}
};

static const struct { const char *alias; genrank_phi_t phi; } aliases[] = {
    {"exp'", GENRANK_PHI_EXP}, {"sinh'", GENRANK_PHI_COSH}, {"cosh'", GENRANK_PHI_SINH},
    {"sin'", GENRANK_PHI_COS}, {"softplus'", GENRANK_PHI_SIGMOID},
    {"logistic", GENRANK_PHI_SIGMOID}, {"swish", GENRANK_PHI_SILU}, {"atan", GENRANK_PHI_ARCTAN}
};

const char *
genrank_phi_names(void)
{
    return "exp, sinh, cosh, tanh, tanh', sigmoid, sigmoid', silu, silu', sin, cos, cos', "
           "arctan', erf, erf', gelu, gelu', arctan, softplus "
           "(and exp', sinh', cosh', sin', softplus', logistic, swish, atan)";
}

int
genrank_phi_parse(genrank_phi_t *phi, const char *s, genrank_err_t *err)
{
    int k;
    size_t a;
    for (k = 1; k < GENRANK_PHI_COUNT; k++)
        if (table[k].cls != GENRANK_CLASS_SIGN && strcmp(s, table[k].name) == 0)
        {
            *phi = (genrank_phi_t) k;
            return 0;
        }
    for (a = 0; a < sizeof aliases / sizeof aliases[0]; a++)
        if (strcmp(s, aliases[a].alias) == 0)
        {
            *phi = aliases[a].phi;
            return 0;
        }
    return genrank_err_set(err, GENRANK_EINVAL, "unknown activation '%.40s' (known: %s)",
                           s, genrank_phi_names());
}

const char *
genrank_phi_name(genrank_phi_t phi)
{
    return table[phi].name;
}

int
genrank_phi_class(genrank_phi_t phi)
{
    return table[phi].cls;
}

const char *
genrank_phi_definition(genrank_phi_t phi)
{
    return table[phi].definition;
}

/* 1 / (1 + e^-x) */
static void
arb_sigmoid(arb_t s, const arb_t x, slong prec)
{
    arb_neg(s, x);
    arb_exp(s, s, prec);
    arb_add_ui(s, s, 1, prec);
    arb_inv(s, s, prec);
}

/* (1 + erf(x / sqrt 2)) / 2, the normal distribution function */
static void
arb_normal_cdf(arb_t r, const arb_t x, slong prec)
{
    arb_t t;
    arb_init(t);
    arb_rsqrt_ui(t, 2, prec);
    arb_mul(t, t, x, prec);
    arb_hypgeom_erf(r, t, prec);
    arb_add_ui(r, r, 1, prec);
    arb_mul_2exp_si(r, r, -1);
    arb_clear(t);
}

void
_genrank_phi_arb(arb_t y, genrank_phi_t phi, const arb_t x, slong prec)
{
    arb_t s, t;
    arb_init(s);
    arb_init(t);
    switch (phi)
    {
    case GENRANK_PHI_EXP: arb_exp(y, x, prec); break;
    case GENRANK_PHI_SINH: arb_sinh(y, x, prec); break;
    case GENRANK_PHI_COSH: arb_cosh(y, x, prec); break;
    case GENRANK_PHI_TANH: arb_tanh(y, x, prec); break;
    case GENRANK_PHI_DTANH:            /* 1 / cosh^2 */
        arb_sech(s, x, prec);
        arb_sqr(y, s, prec);
        break;
    case GENRANK_PHI_SIGMOID: arb_sigmoid(y, x, prec); break;
    case GENRANK_PHI_DSIGMOID:         /* s (1 - s) */
        arb_sigmoid(s, x, prec);
        arb_sub_ui(t, s, 1, prec);
        arb_mul(y, s, t, prec);
        arb_neg(y, y);
        break;
    case GENRANK_PHI_SILU:
        arb_sigmoid(s, x, prec);
        arb_mul(y, x, s, prec);
        break;
    case GENRANK_PHI_DSILU:            /* s + x s (1 - s) */
        arb_sigmoid(s, x, prec);
        arb_sub_ui(t, s, 1, prec);
        arb_neg(t, t);
        arb_mul(t, t, s, prec);
        arb_mul(t, t, x, prec);
        arb_add(y, s, t, prec);
        break;
    case GENRANK_PHI_SIN: arb_sin(y, x, prec); break;
    case GENRANK_PHI_COS: arb_cos(y, x, prec); break;
    case GENRANK_PHI_DCOS:
        arb_sin(y, x, prec);
        arb_neg(y, y);
        break;
    case GENRANK_PHI_DARCTAN:
        arb_sqr(t, x, prec);
        arb_add_ui(t, t, 1, prec);
        arb_inv(y, t, prec);
        break;
    case GENRANK_PHI_ERF: arb_hypgeom_erf(y, x, prec); break;
    case GENRANK_PHI_DERF:             /* 2 e^(-x^2) / sqrt(pi) */
        arb_sqr(t, x, prec);
        arb_neg(t, t);
        arb_exp(t, t, prec);
        arb_const_sqrt_pi(s, prec);
        arb_div(y, t, s, prec);
        arb_mul_2exp_si(y, y, 1);
        break;
    case GENRANK_PHI_GELU:
        arb_normal_cdf(s, x, prec);
        arb_mul(y, x, s, prec);
        break;
    case GENRANK_PHI_DGELU:            /* Phi(x) + x e^(-x^2/2) / sqrt(2 pi) */
        arb_sqr(t, x, prec);
        arb_mul_2exp_si(t, t, -1);
        arb_neg(t, t);
        arb_exp(t, t, prec);
        arb_mul(t, t, x, prec);
        arb_const_sqrt_pi(s, prec);
        arb_div(t, t, s, prec);
        arb_rsqrt_ui(s, 2, prec);
        arb_mul(t, t, s, prec);
        arb_normal_cdf(s, x, prec);
        arb_add(y, s, t, prec);
        break;
    case GENRANK_PHI_ARCTAN: arb_atan(y, x, prec); break;
    case GENRANK_PHI_SOFTPLUS:
        arb_exp(t, x, prec);
        arb_log1p(y, t, prec);
        break;
    case GENRANK_PHI_STEP:
        if (arb_is_positive(x))
            arb_one(y);
        else if (arb_is_negative(x))
            arb_zero(y);
        else
            arb_indeterminate(y);
        break;
    default:
        arb_indeterminate(y);
    }
    arb_clear(s);
    arb_clear(t);
}

double
genrank_phi_double(genrank_phi_t phi, double x)
{
    double s;
    switch (phi)
    {
    case GENRANK_PHI_EXP: return exp(x);
    case GENRANK_PHI_SINH: return sinh(x);
    case GENRANK_PHI_COSH: return cosh(x);
    case GENRANK_PHI_TANH: return tanh(x);
    case GENRANK_PHI_DTANH: s = 1.0 / cosh(x); return s * s;
    case GENRANK_PHI_SIGMOID: return 1.0 / (1.0 + exp(-x));
    case GENRANK_PHI_DSIGMOID: s = 1.0 / (1.0 + exp(-x)); return s * (1.0 - s);
    case GENRANK_PHI_SILU: return x / (1.0 + exp(-x));
    case GENRANK_PHI_DSILU: s = 1.0 / (1.0 + exp(-x)); return s + x * s * (1.0 - s);
    case GENRANK_PHI_SIN: return sin(x);
    case GENRANK_PHI_COS: return cos(x);
    case GENRANK_PHI_DCOS: return -sin(x);
    case GENRANK_PHI_DARCTAN: return 1.0 / (1.0 + x * x);
    case GENRANK_PHI_ERF: return erf(x);
    case GENRANK_PHI_DERF: return 2.0 / sqrt(GENRANK_PI) * exp(-x * x);
    /* Phi(x) = erfc(-x / sqrt 2) / 2, accurate for x << 0 too */
    case GENRANK_PHI_GELU: return 0.5 * x * erfc(-x / sqrt(2.0));
    case GENRANK_PHI_DGELU:
        return 0.5 * erfc(-x / sqrt(2.0)) + x * exp(-0.5 * x * x) / sqrt(2.0 * GENRANK_PI);
    case GENRANK_PHI_ARCTAN: return atan(x);
    case GENRANK_PHI_SOFTPLUS: return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x));
    case GENRANK_PHI_STEP: return x > 0 ? 1.0 : x < 0 ? 0.0 : NAN;
    default: return NAN;
    }
}

const char *
genrank_phi_tag(genrank_phi_t phi)
{
    /* file-name form: tanh' -> dtanh */
    static const char *const tags[GENRANK_PHI_COUNT] = {
        "poly", "exp", "sinh", "cosh", "tanh", "dtanh", "sigmoid", "dsigmoid", "silu", "dsilu",
        "sin", "cos", "dcos", "darctan", "erf", "derf", "gelu", "dgelu", "arctan", "softplus",
        "drelu"};
    return tags[phi];
}
