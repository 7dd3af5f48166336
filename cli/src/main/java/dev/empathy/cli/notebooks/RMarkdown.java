package dev.empathy.cli.notebooks;

/**
 * The R Markdown export of a run: base R reads the run's CSV files and model frames, draws the
 * main charts again, refits csat-effect's {@code main} ({@code lm} with
 * {@code sandwich::vcovCL(type = "HC1", cadjust = TRUE)}: the CR1 factor
 * {@code G/(G-1) (n-1)/(n-k)}), repeat-contacts' adjusted logits ({@code glm}, the same
 * sandwich) and retention's overall Cox model with the running exposure
 * ({@code survival::coxph} on the counting-process rows, Efron ties), and compares estimates and
 * standard errors with the run's; the last chunk calls {@code stop()} when the largest relative
 * difference exceeds the tolerance. Factors are built with their levels in C-locale order, the
 * toolkit's reference coding.
 */
final class RMarkdown {

    private RMarkdown() {
    }

    static String of(RunContents run, String runPath, double tolerance) {
        StringBuilder s = new StringBuilder();
        s.append("""
                ---
                title: "empathy run, reloaded in R"
                output:
                  html_document:
                    theme: null
                    highlight: null
                    mathjax: null
                ---

                This document was written by `empathy export-notebooks` (docs/notebooks.md). It reads the run's CSV \
                files, draws its main charts again, and refits the models whose rows the run kept (`model_frame/`: \
                gzip CSV, identifiers replaced by pseudonyms) from the same formula and the same rows. Each refit's \
                estimates and standard errors are compared with the run's files; the last chunk stops when the \
                largest relative difference exceeds %s. Set the environment variable `EMPATHY_RUN` to read another \
                run folder.

                ```{r setup}
                RUN <- Sys.getenv("EMPATHY_RUN", %s)
                TOLERANCE <- %s
                invisible(Sys.setlocale("LC_COLLATE", "C"))
                suppressPackageStartupMessages({library(sandwich); library(survival)})
                differences <- data.frame(model = character(), term = character(), what = character(),
                                          refit = numeric(), run = numeric(), relative = numeric())

                read_run <- function(job, name) {
                  read.csv(file.path(RUN, job, name), stringsAsFactors = FALSE, na.strings = "")
                }
                # A model frame: the gzip CSV part files of RUN/job/model_frame, every column as text first.
                read_frame <- function(job, numeric) {
                  parts <- sort(Sys.glob(file.path(RUN, job, "model_frame", "part-*.csv.gz")))
                  if (length(parts) == 0) stop("no model frame in ", file.path(RUN, job, "model_frame"),
                                               ": run the job with --model-frame on")
                  d <- do.call(rbind, lapply(parts, read.csv, colClasses = "character", na.strings = ""))
                  d[numeric] <- lapply(d[numeric], as.numeric)
                  d
                }
                # Treatment coding with the first level in C-locale order as reference, as the toolkit.
                as_factor <- function(x) factor(x, levels = sort(unique(x), method = "radix"))
                # R's coefficient names as the toolkit writes them: Intercept, C(x)[T.level].
                toolkit_names <- function(names, d, factors) {
                  out <- names
                  out[out == "(Intercept)"] <- "Intercept"
                  for (f in factors) for (l in levels(d[[f]])) out[names == paste0(f, l)] <- sprintf("C(%%s)[T.%%s]", f, l)
                  out
                }
                relative <- function(ours, theirs) ifelse(theirs != 0, abs(ours - theirs) / abs(theirs), abs(ours))
                compare <- function(model, run_rows, estimate, std_error) {
                  missing <- setdiff(run_rows$term, names(estimate))
                  if (length(missing) > 0) stop(model, ": terms of the run not in the refit: ", paste(missing, collapse = ", "))
                  e <- estimate[run_rows$term]
                  se <- std_error[run_rows$term]
                  rows <- rbind(
                    data.frame(model = model, term = run_rows$term, what = "estimate", refit = e, run = run_rows$estimate,
                               relative = relative(e, run_rows$estimate)),
                    data.frame(model = model, term = run_rows$term, what = "std_error", refit = se, run = run_rows$std_error,
                               relative = relative(se, run_rows$std_error)))
                  cat(sprintf("%%s: %%d terms; largest relative difference %%.2e (estimates), %%.2e (standard errors)\\n",
                              model, nrow(run_rows), max(rows$relative[rows$what == "estimate"]),
                              max(rows$relative[rows$what == "std_error"])))
                  differences <<- rbind(differences, rows)
                }
                ```
                """.formatted(PythonNotebook.text(tolerance), PythonNotebook.python(runPath),
                PythonNotebook.text(tolerance)));
        if (run.csat()) {
            s.append("""

                    ## csat-effect

                    The Shapley split of the main model's R² (`decomposition.csv`).

                    ```{r csat-charts}
                    decomposition <- read_run("csat-effect", "decomposition.csv")
                    par(mar = c(4, 10, 2, 1))
                    barplot(decomposition$share_of_explained, names.arg = decomposition$group, horiz = TRUE, las = 1,
                            xlab = "share of explained R-squared", main = "What explains CSAT (Shapley)")
                    ```
                    """);
            if (run.csatFrame()) {
                s.append("""

                        ### Refit of `main`

                        `lm` of `csat` on `empathy_10`, `resolution_hours` and the controls (every other frame \
                        column but `cluster`), errors clustered by `cluster` with \
                        `vcovCL(type = "HC1", cadjust = TRUE)`: `G/(G-1) (n-1)/(n-k)`, the toolkit's CR1.

                        ```{r csat-refit}
                        frame <- read_frame("csat-effect", c("csat", "empathy_10", "resolution_hours"))
                        controls <- setdiff(names(frame), c("csat", "empathy_10", "resolution_hours", "cluster"))
                        for (f in controls) frame[[f]] <- as_factor(frame[[f]])
                        formula <- as.formula(paste(c("csat ~ empathy_10 + resolution_hours", controls), collapse = " + "))
                        fit <- lm(formula, data = frame)
                        v <- vcovCL(fit, cluster = frame$cluster, type = "HC1", cadjust = TRUE)
                        terms <- toolkit_names(names(coef(fit)), frame, controls)
                        coefficients <- read_run("csat-effect", "coefficients.csv")
                        compare("csat-effect main", coefficients[coefficients$model == "main", ],
                                setNames(coef(fit), terms), setNames(sqrt(diag(v)), terms))
                        ```
                        """);
            }
        }
        if (run.repeat()) {
            s.append("""

                    ## repeat-contacts

                    The repeat rate within each window by empathy-score band, with Wilson intervals (`rates.csv`).

                    ```{r repeat-charts}
                    rates <- read_run("repeat-contacts", "rates.csv")
                    bands <- rates[rates$grouping == "empathy_band", ]
                    windows <- sort(unique(bands$window_days))
                    groups <- sort(unique(bands$group), method = "radix")
                    plot(NA, xlim = c(1, length(groups)), ylim = range(c(bands$ci_low, bands$ci_high)), xaxt = "n",
                         xlab = "empathy score band", ylab = "repeat rate")
                    axis(1, at = seq_along(groups), labels = groups)
                    for (i in seq_along(windows)) {
                      r <- bands[bands$window_days == windows[i], ]
                      x <- match(r$group, groups)
                      lines(x, r$rate, type = "b", col = i, pch = 19)
                      arrows(x, r$ci_low, x, r$ci_high, angle = 90, code = 3, length = 0.03, col = i)
                    }
                    legend("topright", legend = paste("within", windows, "days"), col = seq_along(windows), lty = 1)
                    ```
                    """);
            if (run.repeatFrame()) {
                s.append("""

                        ### Refit of the adjusted logits

                        `glm(family = binomial)` of each window's repeat on the exposure (`documented`: \
                        `empathy_documented`; `score`: `empathy_10`) and the controls, on the rows where every \
                        column is present, errors clustered by customer (pseudonym) with \
                        `vcovCL(type = "HC1", cadjust = TRUE)`, the toolkit's factor.

                        ```{r repeat-refit}
                        adjusted <- read_run("repeat-contacts", "adjusted.csv")
                        windows <- sort(unique(adjusted$window_days))
                        frame <- read_frame("repeat-contacts", c(paste0("repeat_", windows, "d"), "empathy_documented",
                                                                 "empathy_10", "resolved", "resolution_hours"))
                        exposures <- c(documented = "empathy_documented", score = "empathy_10")
                        for (w in windows) for (m in names(exposures)) {
                          rows <- adjusted[adjusted$window_days == w & adjusted$model == m, ]
                          if (nrow(rows) == 0) next
                          if (any(is.na(rows$estimate))) {
                            cat(sprintf("repeat-contacts %s %dd: not estimated in the run (%s); not refitted\\n", m, w, rows$note[1]))
                            next
                          }
                          y <- paste0("repeat_", w, "d")
                          columns <- c(y, exposures[[m]], "resolved", "resolution_hours", "channel", "contact_reason",
                                       "segment", "cluster")
                          d <- frame[complete.cases(frame[columns]), columns]
                          for (f in c("channel", "contact_reason", "segment")) d[[f]] <- as_factor(d[[f]])
                          formula <- as.formula(paste(y, "~", exposures[[m]],
                                                      "+ resolved + resolution_hours + channel + contact_reason + segment"))
                          fit <- glm(formula, family = binomial, data = d, control = glm.control(epsilon = 1e-14, maxit = 100))
                          v <- vcovCL(fit, cluster = d$cluster, type = "HC1", cadjust = TRUE)
                          terms <- toolkit_names(names(coef(fit)), d, c("channel", "contact_reason", "segment"))
                          compare(sprintf("repeat-contacts %s %dd", m, w), rows, setNames(coef(fit), terms),
                                  setNames(sqrt(diag(v)), terms))
                        }
                        ```
                        """);
            }
        }
        if (run.retention()) {
            s.append("""

                    ## retention

                    Kaplan-Meier curves of all customers by exposure tertile (`km.csv`).

                    ```{r retention-charts}
                    km <- read_run("retention", "km.csv")
                    all <- km[km$segment == "all", ]
                    bands <- unique(all$band)
                    plot(NA, xlim = c(0, max(all$days)), ylim = c(min(all$survival), 1), xlab = "days since first contact",
                         ylab = "share not churned")
                    for (i in seq_along(bands)) {
                      r <- all[all$band == bands[i], ]
                      lines(c(0, r$days), c(1, r$survival), type = "s", col = i)
                    }
                    legend("bottomleft", legend = bands, col = seq_along(bands), lty = 1, title = "exposure tertile")
                    ```
                    """);
            if (run.retentionFrame()) {
                s.append("""

                        ### Refit of the Cox model with the running exposure

                        `coxph(Surv(start, stop, churned) ~ exposure_run_10 + log(contacts) + segment)`, Efron ties, \
                        on the counting-process rows (one per contact, at risk from its day to the next contact's), \
                        classical errors; `cox.csv` holds the exposure's term.

                        ```{r retention-refit}
                        frame <- read_frame("retention", c("start", "stop", "churned", "contacts", "exposure_run_10"))
                        frame$segment <- as_factor(frame$segment)
                        fit <- coxph(Surv(start, stop, churned) ~ exposure_run_10 + log(contacts) + segment, data = frame,
                                     ties = "efron", control = coxph.control(eps = 1e-12, iter.max = 100))
                        cox <- read_run("retention", "cox.csv")
                        rows <- cox[cox$segment == "all" & cox$term == "exposure_run_10", ]
                        compare("retention running", rows, coef(fit), sqrt(diag(vcov(fit))))
                        ```
                        """);
            }
        }
        s.append("""

                ## Agreement with the run

                The largest relative difference `|refit - run| / |run|` over every estimate and standard error \
                compared above; this chunk stops when it exceeds the tolerance.

                ```{r agreement}
                if (nrow(differences) == 0) {
                  cat("no model frame in this run: nothing was refitted\\n")
                } else {
                  print(aggregate(relative ~ model + what, data = differences, FUN = max), digits = 3)
                  worst <- differences[which.max(differences$relative), ]
                  cat(sprintf("largest relative difference: %.3e (%s, %s, %s); %d figures compared, tolerance %g\\n",
                              worst$relative, worst$model, worst$term, worst$what, nrow(differences), TOLERANCE))
                  if (!(worst$relative <= TOLERANCE)) stop(sprintf("the refit differs from the run by %.3e > %g",
                                                                   worst$relative, TOLERANCE))
                }
                ```
                """);
        return s.toString();
    }
}
