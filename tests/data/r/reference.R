# Reference results for tests/test_crosstab_r.py and tests/test_regression.py.
# Run from this folder:  Rscript reference.R
# Reads tables.csv, scores.csv and logit_data.csv; writes r_results.csv, r_logit.csv and
# r_versions.csv. Needs base R and the coin package (Debian: r-base-core, r-cran-coin).
suppressPackageStartupMessages(library(coin))

tables <- read.csv("tables.csv", stringsAsFactors = FALSE)
scores <- read.csv("scores.csv", stringsAsFactors = FALSE)
out <- list()
add <- function(id, quantity, value) {
  out[[length(out) + 1]] <<- data.frame(table_id = id, quantity = quantity, value = value)
}

# Conditional (noncentral hypergeometric) distribution of the top-left cell of a 2x2 table,
# solved with a tight tolerance: fisher.test's own uniroot calls stop near 1e-4.
cond_or <- function(tab, level = 0.95) {
  x <- tab[1, 1]; m <- sum(tab[1, ]); n <- sum(tab[2, ]); k <- sum(tab[, 1])
  support <- max(0, k - n):min(k, m)
  logbase <- dhyper(support, m, n, k, log = TRUE)
  dens <- function(log_psi) {
    w <- logbase + support * log_psi
    w <- exp(w - max(w))
    w / sum(w)
  }
  mean_at <- function(log_psi) sum(support * dens(log_psi))
  upper_tail <- function(log_psi) sum(dens(log_psi)[support >= x])
  lower_tail <- function(log_psi) sum(dens(log_psi)[support <= x])
  alpha <- (1 - level) / 2
  solve <- function(f, target) {
    uniroot(function(z) f(z) - target, c(-50, 50), tol = 1e-13, maxiter = 10000)$root
  }
  lo <- min(support); hi <- max(support)
  mle <- if (x == lo) 0 else if (x == hi) Inf else exp(solve(mean_at, x))
  ci_low <- if (x == lo) 0 else exp(solve(upper_tail, alpha))
  ci_high <- if (x == hi) Inf else exp(solve(lower_tail, alpha))
  c(mle, ci_low, ci_high)
}

for (id in unique(tables$table_id)) {
  rows <- tables[tables$table_id == id, ]
  tab <- matrix(0, max(rows$row), max(rows$col))
  tab[cbind(rows$row, rows$col)] <- rows$count
  chi <- suppressWarnings(chisq.test(tab, correct = FALSE))
  add(id, "chisq_statistic", unname(chi$statistic))
  add(id, "chisq_df", unname(chi$parameter))
  add(id, "chisq_p", chi$p.value)
  add(id, "min_expected", min(chi$expected))
  n <- sum(tab); r <- nrow(tab); k <- ncol(tab)
  phi2 <- unname(chi$statistic) / n
  add(id, "cramers_v", sqrt(phi2 / min(r - 1, k - 1)))
  phi2_bc <- max(0, phi2 - (r - 1) * (k - 1) / (n - 1))
  r_bc <- r - (r - 1)^2 / (n - 1); k_bc <- k - (k - 1)^2 / (n - 1)
  add(id, "cramers_v_bc", sqrt(phi2_bc / min(r_bc - 1, k_bc - 1)))
  if (n < 1000) {
    fis <- fisher.test(tab, workspace = 2e8)
    add(id, "fisher_p", fis$p.value)
    if (r == 2 && k == 2) {
      add(id, "fisher_or", unname(fis$estimate))
      add(id, "fisher_ci_low", fis$conf.int[1])
      add(id, "fisher_ci_high", fis$conf.int[2])
      tight <- cond_or(tab)
      add(id, "or_tight", tight[1])
      add(id, "ci_low_tight", tight[2])
      add(id, "ci_high_tight", tight[3])
    }
  }
  # Linear-by-linear association with equally spaced scores 1..r and 1..k (coin's default).
  df <- as.data.frame(as.table(tab))
  df$Var1 <- factor(df$Var1, ordered = TRUE); df$Var2 <- factor(df$Var2, ordered = TRUE)
  lbl <- lbl_test(Var2 ~ Var1, data = df, weights = ~Freq)
  add(id, "lbl_z", statistic(lbl))
  add(id, "lbl_statistic", statistic(lbl)^2)
  add(id, "lbl_p", pvalue(lbl))
  own <- scores[scores$table_id == id & scores$axis == "row", ]
  if (nrow(own) > 0) {
    lbl_s <- lbl_test(Var2 ~ Var1, data = df, weights = ~Freq,
                      scores = list(Var1 = own$score[order(own$index)]))
    add(id, "lbl_scored_statistic", statistic(lbl_s)^2)
    add(id, "lbl_scored_p", pvalue(lbl_s))
  }
}
res <- do.call(rbind, out)
res$value <- sprintf("%.15g", res$value)
write.csv(res, "r_results.csv", row.names = FALSE, quote = FALSE)

# Logistic regression: glm with the binomial family, Wald intervals (confint.default).
data <- read.csv("logit_data.csv", stringsAsFactors = FALSE)
data$org_type <- factor(data$org_type, levels = c("biedriba", "vrg", "neformala_kopiena"))
data$smart_village <- factor(data$smart_village, levels = c("ne", "ja"))
fit <- glm(has_strategy ~ org_age_years + org_type + smart_village, family = binomial, data = data)
co <- summary(fit)$coefficients
ci <- confint.default(fit)
logit <- data.frame(
  term = rownames(co), estimate = sprintf("%.15g", co[, 1]), std_error = sprintf("%.15g", co[, 2]),
  z = sprintf("%.15g", co[, 3]), p_value = sprintf("%.15g", co[, 4]),
  ci_low = sprintf("%.15g", ci[, 1]), ci_high = sprintf("%.15g", ci[, 2])
)
write.csv(logit, "r_logit.csv", row.names = FALSE, quote = FALSE)

versions <- data.frame(
  software = c("R", "coin"),
  version = c(paste(R.version$major, R.version$minor, sep = "."), as.character(packageVersion("coin")))
)
write.csv(versions, "r_versions.csv", row.names = FALSE, quote = FALSE)
