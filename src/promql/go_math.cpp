// Go's math functions where glibc gives a different answer: Prometheus computes with Go, and
// results must match to the last bit to print the same shortest decimal.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "promql/eval.hpp"

namespace e2e3d::promql {

double go_max(double x, double y) {
  if (std::isinf(x) && x > 0) return x;
  if (std::isinf(y) && y > 0) return y;
  if (std::isnan(x) || std::isnan(y)) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0 && x == y) return std::signbit(x) ? y : x;
  return x > y ? x : y;
}

double go_min(double x, double y) {
  if (std::isinf(x) && x < 0) return x;
  if (std::isinf(y) && y < 0) return y;
  if (std::isnan(x) || std::isnan(y)) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0 && x == y) return std::signbit(x) ? x : y;
  return x < y ? x : y;
}

// math.Log (the FreeBSD algorithm Go uses on every platform).
double go_log(double x) {
  constexpr double Ln2Hi = 6.93147180369123816490e-01;
  constexpr double Ln2Lo = 1.90821492927058770002e-10;
  constexpr double L1 = 6.666666666666735130e-01;
  constexpr double L2 = 3.999999999940941908e-01;
  constexpr double L3 = 2.857142874366239149e-01;
  constexpr double L4 = 2.222219843214978396e-01;
  constexpr double L5 = 1.818357216161805012e-01;
  constexpr double L6 = 1.531383769920937332e-01;
  constexpr double L7 = 1.479819860511658591e-01;
  if (std::isnan(x) || (std::isinf(x) && x > 0)) return x;
  if (x < 0) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0) return -std::numeric_limits<double>::infinity();
  // Go's amd64 assembly splits the bits without normalising subnormals first, so a subnormal
  // x is taken as (1 + mantissa) * 2^-1023; Prometheus's ln(5e-324) is -709.08956571282.
  uint64_t bits = 0;
  std::memcpy(&bits, &x, sizeof bits);
  int ki = static_cast<int>((bits >> 52) & 0x7FF) - 1022;
  uint64_t fbits = (bits & 0x000FFFFFFFFFFFFFULL) | (0x3FEULL << 52);
  double f1 = 0;
  std::memcpy(&f1, &fbits, sizeof f1);
  if (f1 < M_SQRT2 / 2) {
    f1 *= 2;
    ki--;
  }
  double f = f1 - 1;
  double k = ki;
  double s = f / (2 + f);
  double s2 = s * s;
  double s4 = s2 * s2;
  double t1 = s2 * (L1 + s4 * (L3 + s4 * (L5 + s4 * L7)));
  double t2 = s4 * (L2 + s4 * (L4 + s4 * L6));
  double R = t1 + t2;
  double hfsq = 0.5 * f * f;
  return k * Ln2Hi - ((hfsq - (s * (hfsq + R) + k * Ln2Lo)) - f);
}

// math.Exp as Go's amd64 assembly computes it (Shibata's method), with the fused multiply-add
// variant the assembly picks on CPUs with AVX and FMA.
double go_exp(double x) {
  constexpr double LOG2E = 1.4426950408889634073599246810018920;
  constexpr double LN2U = 0.69314718055966295651160180568695068359375;
  constexpr double LN2L = 0.28235290563031577122588448175013436025525412068e-12;
  constexpr double Overflow = 7.09782712893384e+02;
  constexpr double C[] = {0.5,
                          1.0,
                          2.0,
                          1.6666666666666666667e-1,
                          4.1666666666666666667e-2,
                          8.3333333333333333333e-3,
                          1.3888888888888888889e-3,
                          1.9841269841269841270e-4,
                          2.4801587301587301587e-5};
  if (std::isnan(x) || (std::isinf(x) && x > 0)) return x;
  if (std::isinf(x)) return 0;
  if (x > Overflow) return std::numeric_limits<double>::infinity();
  double t = LOG2E * x;
  double r = std::nearbyint(t);  // CVTSD2SL rounds to nearest even
  int32_t bx = (r >= -2147483648.0 && r <= 2147483647.0) ? static_cast<int32_t>(r) : INT32_MIN;
  double x1 = bx;
  double x0 = x;
  static const bool fma = __builtin_cpu_supports("avx") && __builtin_cpu_supports("fma");
  if (fma) {
    x0 = std::fma(-LN2U, x1, x0);
    x0 = std::fma(-LN2L, x1, x0);
    x0 *= 0.0625;
    double p = C[8];
    for (int i : {7, 6, 5, 4, 3, 0, 1})
      p = std::fma(p, x0, C[i]);
    x0 = x0 * p;
    for (int i = 0; i < 3; ++i) {
      double y = x0 + 2.0;
      x0 = x0 * y;
    }
    double y = x0 + 2.0;
    x0 = std::fma(x0, y, 1.0);
  } else {
    x0 = x0 - x1 * LN2U;
    x0 = x0 - x1 * LN2L;
    x0 *= 0.0625;
    double p = C[8];
    for (int i : {7, 6, 5, 4, 3, 0, 1}) {
      p = p * x0;
      p = p + C[i];
    }
    x0 = x0 * p;
    for (int i = 0; i < 4; ++i) {
      double y = 2.0 + x0;
      x0 = x0 * y;
    }
    x0 = x0 + 1.0;
  }
  int64_t e = static_cast<int64_t>(bx) + 0x3FF;
  if (e <= 0) return 0;
  if (e >= 0x7FF) return std::numeric_limits<double>::infinity();
  uint64_t scale_bits = static_cast<uint64_t>(e) << 52;
  double scale = 0;
  std::memcpy(&scale, &scale_bits, sizeof scale);
  return x0 * scale;
}

namespace {
// Cephes atan, as Go's math package has it.
double xatan(double x) {
  constexpr double P0 = -8.750608600031904122785e-01;
  constexpr double P1 = -1.615753718733365076637e+01;
  constexpr double P2 = -7.500855792314704667340e+01;
  constexpr double P3 = -1.228866684490136173410e+02;
  constexpr double P4 = -6.485021904942025371773e+01;
  constexpr double Q0 = +2.485846490142306297962e+01;
  constexpr double Q1 = +1.650270098316988542046e+02;
  constexpr double Q2 = +4.328810604912902668951e+02;
  constexpr double Q3 = +4.853903996359136964868e+02;
  constexpr double Q4 = +1.945506571482613964425e+02;
  double z = x * x;
  z = z * ((((P0 * z + P1) * z + P2) * z + P3) * z + P4) /
      (((((z + Q0) * z + Q1) * z + Q2) * z + Q3) * z + Q4);
  z = x * z + x;
  return z;
}

double satan(double x) {
  constexpr double Morebits = 6.123233995736765886130e-17;
  constexpr double Tan3pio8 = 2.41421356237309504880;
  if (x <= 0.66) return xatan(x);
  if (x > Tan3pio8) return M_PI / 2 - xatan(1 / x) + Morebits;
  return M_PI / 4 + xatan((x - 1) / (x + 1)) + 0.5 * Morebits;
}

double go_atan(double x) {
  if (x == 0) return x;
  if (x > 0) return satan(x);
  return -satan(-x);
}
}  // namespace

double go_atan2(double y, double x) {
  if (std::isnan(y) || std::isnan(x)) return std::numeric_limits<double>::quiet_NaN();
  if (y == 0) {
    if (x >= 0 && !std::signbit(x)) return std::copysign(0.0, y);
    return std::copysign(M_PI, y);
  }
  if (x == 0) return std::copysign(M_PI / 2, y);
  if (std::isinf(x)) {
    if (x > 0) return std::isinf(y) ? std::copysign(M_PI / 4, y) : std::copysign(0.0, y);
    return std::isinf(y) ? std::copysign(3 * M_PI / 4, y) : std::copysign(M_PI, y);
  }
  if (std::isinf(y)) return std::copysign(M_PI / 2, y);
  double q = go_atan(y / x);
  if (x < 0) return q <= 0 ? q + M_PI : q - M_PI;
  return q;
}

double go_log2(double x) {
  int exp = 0;
  double frac = std::frexp(x, &exp);
  if (frac == 0.5) return exp - 1;                           // exact powers of two
  return go_log(frac) * M_LOG2E + static_cast<double>(exp);  // Go folds 1/Ln2 exactly
}

double go_log10(double x) {
  return go_log(x) * M_LOG10E;
}  // Go folds 1/Ln10 exactly

namespace {
bool is_odd_int(double x) {
  if (std::fabs(x) >= 9007199254740992.0) return false;  // 2^53: every such float is even
  double xi = 0;
  double xf = std::modf(x, &xi);
  return xf == 0 && (static_cast<int64_t>(xi) & 1) == 1;
}
}  // namespace

// math.Pow: integer powers by repeated squaring of the mantissa, as Go computes them.
double go_pow(double x, double y) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  if (y == 0 || x == 1) return 1;
  if (y == 1) return x;
  if (std::isnan(x) || std::isnan(y)) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0) {
    if (y < 0) return std::signbit(x) && is_odd_int(y) ? -inf : inf;
    if (y > 0) return std::signbit(x) && is_odd_int(y) ? x : 0;
  }
  if (std::isinf(y)) {
    if (x == -1) return 1;
    if ((std::fabs(x) < 1) == (y > 0)) return 0;
    return inf;
  }
  if (std::isinf(x)) {
    if (x < 0) return go_pow(1 / x, -y);
    if (y < 0) return 0;
    if (y > 0) return inf;
  }
  if (y == 0.5) return std::sqrt(x);
  if (y == -0.5) return 1 / std::sqrt(x);

  double yi = 0;
  double yf = std::modf(std::fabs(y), &yi);
  if (yf != 0 && x < 0) return std::numeric_limits<double>::quiet_NaN();
  if (yi >= 9.223372036854775808e18) {
    if (x == -1) return 1;
    if ((std::fabs(x) < 1) == (y > 0)) return 0;
    return inf;
  }
  double a1 = 1.0;
  int ae = 0;
  if (yf != 0) {
    if (yf > 0.5) {
      yf--;
      yi++;
    }
    a1 = go_exp(yf * go_log(x));
  }
  int xe = 0;
  double x1 = std::frexp(x, &xe);
  for (auto i = static_cast<int64_t>(yi); i != 0; i >>= 1) {
    if (xe < -(1 << 12) || (1 << 12) < xe) {
      ae += xe;
      break;
    }
    if ((i & 1) == 1) {
      a1 *= x1;
      ae += xe;
    }
    x1 *= x1;
    xe <<= 1;
    if (x1 < .5) {
      x1 += x1;
      xe--;
    }
  }
  if (y < 0) {
    a1 = 1 / a1;
    ae = -ae;
  }
  return std::ldexp(a1, ae);
}

}  // namespace e2e3d::promql
