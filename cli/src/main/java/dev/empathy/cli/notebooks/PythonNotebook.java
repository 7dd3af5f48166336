package dev.empathy.cli.notebooks;

/**
 * The Python notebook of a run: pandas reads the run's CSV files and model frames, matplotlib
 * draws the main charts again, statsmodels refits csat-effect's {@code main} (OLS, errors
 * clustered with the CR1 factor {@code G/(G-1) (n-1)/(n-k)}, statsmodels' default
 * {@code use_correction=True}) and repeat-contacts' adjusted logits (the same factor, which
 * statsmodels' discrete models apply too), and compares estimates and standard errors with the
 * run's; the last cell raises when the largest relative difference exceeds the tolerance.
 */
final class PythonNotebook {

    private PythonNotebook() {
    }

    static Notebook of(RunContents run, String runPath, double tolerance) {
        Notebook nb = new Notebook();
        nb.markdown("""
                # empathy run, reloaded in Python

                This notebook was written by `empathy export-notebooks` (docs/notebooks.md). It reads the run's CSV \
                files with pandas, draws its main charts again with matplotlib, and refits the models whose rows \
                the run kept (`model_frame/`: gzip CSV, identifiers replaced by pseudonyms) with statsmodels, from \
                the same formula and the same rows. Each refit's estimates and standard errors are compared with \
                the run's files; the last cell fails when the largest relative difference exceeds %s.

                Set the environment variable `EMPATHY_RUN` to read another run folder.""".formatted(text(tolerance)));
        nb.code("""
                import glob
                import os

                import matplotlib.pyplot as plt
                import numpy as np
                import pandas as pd
                import statsmodels.formula.api as smf

                RUN = os.environ.get("EMPATHY_RUN", %s)
                TOLERANCE = %s
                differences = []  # one row per compared figure


                def read_csv(job, name):
                    return pd.read_csv(os.path.join(RUN, job, name), keep_default_na=False, na_values=[""])


                def read_frame(job, text_columns):
                    \"""A model frame: the gzip CSV part files of RUN/job/model_frame, text columns kept as text.\"""
                    parts = sorted(glob.glob(os.path.join(RUN, job, "model_frame", "part-*.csv.gz")))
                    if not parts:
                        raise FileNotFoundError(f"no model frame in {os.path.join(RUN, job, 'model_frame')}: "
                                                "run the job with --model-frame on")
                    types = {c: str for c in text_columns}
                    return pd.concat([pd.read_csv(p, dtype=types, keep_default_na=False, na_values=[""])
                                      for p in parts], ignore_index=True)


                def relative(ours, theirs):
                    return abs(ours - theirs) / abs(theirs) if theirs != 0 else abs(ours)


                def compare(model, run_rows, fit):
                    \"""Every term of the run's rows against the refit: estimate and standard error.\"""
                    if len(run_rows) != len(fit.params):
                        raise AssertionError(f"{model}: the run has {len(run_rows)} terms, the refit {len(fit.params)}: "
                                             f"{sorted(set(fit.params.index) ^ set(run_rows.term))}")
                    for row in run_rows.itertuples():
                        for what, ours, theirs in (("estimate", fit.params[row.term], row.estimate),
                                                   ("std_error", fit.bse[row.term], row.std_error)):
                            differences.append((model, row.term, what, ours, theirs, relative(ours, theirs)))
                    worst = max(relative(fit.params[t], e) for t, e in zip(run_rows.term, run_rows.estimate))
                    print(f"{model}: {len(run_rows)} terms on {int(fit.nobs):,} rows; largest relative difference "
                          f"{worst:.2e} (estimates), "
                          f"{max(relative(fit.bse[t], s) for t, s in zip(run_rows.term, run_rows.std_error)):.2e} "
                          "(standard errors)")
                """.formatted(python(runPath), text(tolerance)));
        if (run.csat()) {
            nb.markdown("""
                    ## csat-effect

                    The Shapley split of the main model's R² (`decomposition.csv`) and the effect of +10 empathy \
                    points by channel and segment (`by_group.csv`).""");
            nb.code("""
                    decomposition = read_csv("csat-effect", "decomposition.csv")
                    by_group = read_csv("csat-effect", "by_group.csv")
                    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
                    left.barh(decomposition["group"], decomposition["share_of_explained"])
                    left.set_xlabel("share of explained R²")
                    left.set_title("What explains CSAT (Shapley)")
                    empathy = by_group[(by_group["effect"] == by_group["effect"].iloc[0]) & by_group["estimate"].notna()]
                    labels = empathy["grouping"] + ": " + empathy["group"]
                    right.errorbar(empathy["estimate"], labels,
                                   xerr=[empathy["estimate"] - empathy["ci_low"], empathy["ci_high"] - empathy["estimate"]],
                                   fmt="o")
                    right.axvline(0, color="grey", lw=0.5)
                    right.set_title(f"{empathy['effect'].iloc[0]} by group (95% interval)")
                    fig.tight_layout()
                    plt.show()""");
            if (run.csatFrame()) {
                nb.markdown("""
                        ### Refit of `main`

                        OLS of `csat` on `empathy_10`, `resolution_hours` and the controls (every frame column but \
                        those and `cluster`, each as `C(...)`: treatment coding, the first level in sorted order as \
                        reference, as the toolkit does), standard errors clustered by `cluster` (the pseudonym of the \
                        run's cluster column) with statsmodels' CR1 factor `G/(G-1) (n-1)/(n-k)`, the toolkit's.""");
                nb.code("""
                        frame = read_frame("csat-effect", ["cluster"])
                        controls = [c for c in frame.columns if c not in ("csat", "empathy_10", "resolution_hours", "cluster")]
                        for c in controls:
                            frame[c] = frame[c].astype(str)
                        formula = "csat ~ empathy_10 + resolution_hours" + "".join(f" + C({c})" for c in controls)
                        main = smf.ols(formula, frame).fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(frame["cluster"])[0]})
                        coefficients = read_csv("csat-effect", "coefficients.csv")
                        compare("csat-effect main", coefficients[coefficients["model"] == "main"], main)
                        print(formula)""");
            }
        }
        if (run.repeat()) {
            nb.markdown("""
                    ## repeat-contacts

                    The repeat rate within each window by empathy-score band, with Wilson intervals (`rates.csv`).""");
            nb.code("""
                    rates = read_csv("repeat-contacts", "rates.csv")
                    bands = rates[rates["grouping"] == "empathy_band"]
                    fig, ax = plt.subplots(figsize=(7, 4))
                    for window, rows in bands.groupby("window_days"):
                        ax.errorbar(rows["group"], rows["rate"], yerr=[rows["rate"] - rows["ci_low"], rows["ci_high"] - rows["rate"]],
                                    fmt="o-", capsize=3, label=f"within {window} days")
                    ax.set_ylabel("repeat rate")
                    ax.set_xlabel("empathy score band")
                    ax.legend()
                    plt.show()""");
            if (run.repeatFrame()) {
                nb.markdown("""
                        ### Refit of the adjusted logits

                        For each window and exposure (`documented`: `empathy_documented`; `score`: `empathy_10`), \
                        the logit of a repeat on the exposure, `resolved`, `resolution_hours`, `C(channel)`, \
                        `C(contact_reason)` and `C(segment)`, on the rows where all of them are present (censored \
                        contacts and unscored ones drop out, as in the run), errors clustered by customer \
                        (pseudonym) with the factor `G/(G-1) (n-1)/(n-k)` of `sandwich::vcovCL(type = "HC1")`, the \
                        toolkit's (docs/regression.md).""");
                nb.code("""
                        frame = read_frame("repeat-contacts", ["channel", "contact_reason", "segment", "cluster"])
                        adjusted = read_csv("repeat-contacts", "adjusted.csv")
                        exposures = {"documented": "empathy_documented", "score": "empathy_10"}
                        for (window, model), rows in adjusted[adjusted["model"].isin(list(exposures))].groupby(["window_days", "model"]):
                            if rows["estimate"].isna().any():
                                print(f"repeat-contacts {model} {window}d: not estimated in the run ({rows['note'].iloc[0]}); not refitted")
                                continue
                            y = f"repeat_{window}d"
                            columns = [y, exposures[model], "resolved", "resolution_hours", "channel", "contact_reason", "segment", "cluster"]
                            d = frame[columns].dropna().reset_index(drop=True)
                            formula = f"{y} ~ {exposures[model]} + resolved + resolution_hours + C(channel) + C(contact_reason) + C(segment)"
                            fit = smf.logit(formula, d).fit(method="newton", tol=1e-12, maxiter=100, disp=0, cov_type="cluster",
                                                            cov_kwds={"groups": pd.factorize(d["cluster"])[0]})
                            compare(f"repeat-contacts {model} {window}d", rows, fit)""");
            }
        }
        if (run.retention()) {
            nb.markdown("""
                    ## retention

                    Kaplan-Meier curves of all customers by exposure tertile (`km.csv`) and the Cox hazard ratios \
                    per +10 points overall (`cox.csv`). The Cox refit with the running exposure is in the R Markdown \
                    export (`survival::coxph`).""");
            nb.code("""
                    km = read_csv("retention", "km.csv")
                    cox = read_csv("retention", "cox.csv")
                    fig, ax = plt.subplots(figsize=(7, 4))
                    for band, rows in km[km["segment"] == "all"].groupby("band"):
                        ax.step(rows["days"], rows["survival"], where="post", label=band)
                    ax.set_xlabel("days since first contact")
                    ax.set_ylabel("share not churned")
                    ax.legend(title="exposure tertile")
                    plt.show()
                    cox[cox["segment"] == "all"][["exposure", "hazard_ratio", "hr_ci_low", "hr_ci_high", "customers", "events"]]""");
        }
        nb.markdown("""
                ## Agreement with the run

                The largest relative difference `|refit - run| / |run|` over every estimate and standard error \
                compared above; this cell fails when it exceeds the tolerance.""");
        nb.code("""
                if not differences:
                    print("no model frame in this run: nothing was refitted")
                else:
                    table = pd.DataFrame(differences, columns=["model", "term", "what", "refit", "run", "relative"])
                    print(table.groupby(["model", "what"])["relative"].max().unstack().to_string(float_format="%.2e"))
                    worst = table.loc[table["relative"].idxmax()]
                    print(f"largest relative difference: {worst['relative']:.3e} ({worst['model']}, {worst['term']}, {worst['what']}); "
                          f"{len(table)} figures compared, tolerance {TOLERANCE:g}")
                    if not worst["relative"] <= TOLERANCE:
                        raise AssertionError(f"the refit differs from the run by {worst['relative']:.3e} > {TOLERANCE:g}")""");
        return nb;
    }

    /** A Python string literal. */
    static String python(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '\\' || c == '"') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.append('"').toString();
    }

    static String text(double tolerance) {
        return String.format(java.util.Locale.ROOT, "%.0e", tolerance).replace("e-0", "e-");
    }
}
