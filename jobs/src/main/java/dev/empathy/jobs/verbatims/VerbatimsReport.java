package dev.empathy.jobs.verbatims;

import dev.empathy.jobs.text.TurnCoding;
import dev.empathy.jobs.verbatims.Verbatims.Adjusted;
import dev.empathy.jobs.verbatims.Verbatims.Example;
import dev.empathy.jobs.verbatims.Verbatims.Result;
import dev.empathy.jobs.verbatims.Verbatims.ShiftRate;
import dev.empathy.jobs.verbatims.Verbatims.Transition;
import dev.empathy.jobs.verbatims.Verbatims.TurnCount;
import dev.empathy.lib.regression.Estimate;
import dev.empathy.lib.text.PiiCounts;
import dev.empathy.lib.text.VerbatimCode;
import dev.empathy.reports.chart.Charts;
import dev.empathy.reports.csv.CsvFile;
import dev.empathy.reports.io.ReportFolder;
import dev.empathy.reports.text.Figures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The files of {@code verbatims} (see docs/jobs/verbatims.md): {@code population.csv},
 * {@code transitions.csv}, {@code shift_rates.csv}, {@code adjusted.csv}, {@code examples.csv},
 * the chart {@code transitions.png} and {@code summary.md}. The only text of a turn written is in
 * {@code examples.csv}, already redacted; no file holds an id.
 */
final class VerbatimsReport {

    private VerbatimsReport() {
    }

    static void write(Result result, ReportFolder folder) {
        result.steps().write(folder);
        List<List<Object>> transitions = new ArrayList<>();
        for (Transition t : result.transitions()) {
            transitions.add(Arrays.asList(t.documented(), t.first(), t.last(), t.conversations(), t.rowShare()));
        }
        CsvFile.write(folder, "transitions.csv", List.of("documented", "first_code", "last_code", "conversations",
                "row_share"), transitions);
        List<List<Object>> rates = new ArrayList<>();
        for (ShiftRate r : result.shiftRates()) {
            rates.add(Arrays.asList(r.grouping(), r.level(), r.hostileFirst(), r.becameCooperative(),
                    r.rate().estimate(), r.rate().low(), r.rate().high()));
        }
        CsvFile.write(folder, "shift_rates.csv", List.of("grouping", "level", "hostile_first", "became_cooperative",
                "rate", "ci_low", "ci_high"), rates);
        List<List<Object>> adjusted = new ArrayList<>();
        for (Adjusted a : result.adjusted()) {
            Estimate e = a.term();
            Estimate.Ratio or = e.ratio();
            adjusted.add(Arrays.asList(a.model(), e.term(), e.estimate(), e.stdError(), e.pValue(), or.value(),
                    or.low(), or.high(), a.n(), a.clusters(), a.note()));
        }
        CsvFile.write(folder, "adjusted.csv", List.of("model", "term", "estimate", "std_error", "p_value",
                "odds_ratio", "or_ci_low", "or_ci_high", "n", "clusters", "note"), adjusted);
        List<List<Object>> examples = new ArrayList<>();
        for (Example e : result.examples()) {
            examples.add(Arrays.asList(e.language(), e.code(), e.text()));
        }
        CsvFile.write(folder, "examples.csv", List.of("language", "code", "text"), examples);
        chart(result, folder);
        folder.text("summary.md", summary(result));
    }

    /** Six rows (documented yes and no, by first tone) of three cells (last tone): row shares. */
    private static void chart(Result result, ReportFolder folder) {
        List<String> rows = new ArrayList<>();
        List<Charts.Cell> cells = new ArrayList<>();
        long conversations = 0;
        for (Transition t : result.transitions()) {
            String row = (t.documented().equals("yes") ? "documented" : "not documented") + ", " + t.first();
            if (!rows.contains(row)) {
                rows.add(row);
            }
            conversations += t.conversations();
            String text = Double.isFinite(t.rowShare())
                    ? String.format(Locale.ROOT, "%s (%,d)", Figures.percent(t.rowShare()), t.conversations())
                    : "none";
            cells.add(new Charts.Cell(row, t.last(), t.rowShare(), text));
        }
        Charts.heatmap(folder, "transitions.png", "From the customer's first clear turn to the last",
                String.format(Locale.ROOT, "share of each row's conversations by the tone of the last clear customer "
                        + "turn; n = %,d conversations", conversations),
                "tone of the last clear customer turn", "empathy documented, tone of the first", rows,
                Verbatims.TONES, cells);
    }

    static String summary(Result result) {
        StringBuilder s = new StringBuilder("# The customer's tone from first turn to last\n\n");
        long customerTurns = result.turnCounts().stream().mapToLong(TurnCount::turns).sum();
        if (customerTurns == 0) {
            s.append("There were no customer turns in the data, so there was nothing to analyse.");
            return s.append(privacy(result)).append('\n').toString();
        }
        long uncoded = result.turns(TurnCoding.UNCODED_LANGUAGE);
        s.append(String.format(Locale.ROOT, "Of %,d customer turns in %,d conversations, %,d were coded hostile, "
                        + "%,d neutral, %,d cooperative and %,d unclear (too little to say, such as \"ok\").",
                customerTurns, result.steps().get("with_customer_turns"), result.turns(label(VerbatimCode.HOSTILE)),
                result.turns(label(VerbatimCode.NEUTRAL)), result.turns(label(VerbatimCode.COOPERATIVE)),
                result.turns(label(VerbatimCode.UNCLEAR))));
        if (uncoded > 0) {
            Map<String, Long> byLanguage = new TreeMap<>();
            result.turnCounts().stream().filter(t -> t.code().equals(TurnCoding.UNCODED_LANGUAGE))
                    .forEach(t -> byLanguage.merge(t.language(), t.turns(), Long::sum));
            List<String> parts = new ArrayList<>();
            // A language subtag is two or three letters (BCP 47 allows up to eight); anything else
            // in the column is free text from the data and stays out of the summary.
            byLanguage.forEach((language, n) -> parts.add(String.format(Locale.ROOT, "%s %,d",
                    language.equals(Verbatims.UNKNOWN) ? "no language given"
                            : language.matches("[a-z]{2,8}") ? language : "an unrecognized tag", n)));
            s.append(String.format(Locale.ROOT, " %,d were not coded, because their conversation had no language or "
                    + "one without a codebook (%s).", uncoded, String.join(", ", parts)));
        }
        long clear = result.steps().get("with_a_clear_customer_turn");
        long hostileFirst = result.steps().get("hostile_first");
        s.append(String.format(Locale.ROOT, " %,d conversations had a customer turn that was not unclear; in %,d of "
                + "them the first such turn was hostile.\n\n", clear, hostileFirst));
        if (hostileFirst == 0) {
            s.append("No conversation opened hostile, so there is no move from hostile to cooperative to measure.\n");
        } else {
            shift(result, s);
        }
        s.append("\nThe codebooks miss hostility they have no words for (agreement with hand labels on unseen turns, "
                + "Cohen's kappa 0.66; see docs/codebooks.md), so the hostile counts are lower bounds and some "
                + "hostile openings are counted as neutral.");
        return s.append(privacy(result)).append('\n').toString();
    }

    private static void shift(Result result, StringBuilder s) {
        Optional<ShiftRate> yes = result.rate("documented", "yes").filter(r -> r.hostileFirst() > 0);
        Optional<ShiftRate> no = result.rate("documented", "no").filter(r -> r.hostileFirst() > 0);
        for (Optional<ShiftRate> side : List.of(yes, no)) {
            side.ifPresent(r -> s.append(String.format(Locale.ROOT, "%s, %,d of the %,d conversations that opened "
                            + "hostile ended cooperative (%s, 95%% interval %s to %s). ",
                    r.level().equals("yes") ? "When the agent documented empathy"
                            : "When the agent did not document empathy", r.becameCooperative(), r.hostileFirst(),
                    Figures.percent(r.rate().estimate()), Figures.percent(r.rate().low()),
                    Figures.percent(r.rate().high()))));
        }
        Optional<ShiftRate> difference = result.rate("documented", "difference")
                .filter(r -> Double.isFinite(r.rate().estimate()));
        if (yes.isPresent() && no.isPresent() && difference.isPresent()) {
            ShiftRate d = difference.get();
            boolean clear = d.rate().low() > 0 || d.rate().high() < 0;
            s.append(String.format(Locale.ROOT, "The difference is %s percentage points (Newcombe 95%% interval %s "
                            + "to %s)%s.", points(d.rate().estimate()), points(d.rate().low()),
                    points(d.rate().high()), clear ? "" : ", which the data cannot tell from no difference"));
        } else {
            s.append(String.format(Locale.ROOT, "Every conversation that opened hostile had an agent who %s, so the "
                    + "two cannot be compared.", yes.isPresent() ? "documented empathy" : "did not document empathy"));
        }
        Optional<Adjusted> model = result.adjusted().stream()
                .filter(a -> a.term().term().equals("empathy_documented")).findFirst();
        if (model.isPresent() && Double.isFinite(model.get().term().estimate())
                && Double.isFinite(model.get().term().ciLow())) {
            Adjusted a = model.get();
            Estimate.Ratio or = a.term().ratio();
            s.append(String.format(Locale.ROOT, " Among hostile openings alike in channel, contact reason and "
                            + "language, documented empathy went with odds of ending cooperative %s (odds ratio %s, "
                            + "%s to %s, n = %,d, standard errors clustered by %,d agents).", odds(or.value()),
                    Figures.two(or.value()), Figures.two(or.low()), Figures.two(or.high()), a.n(), a.clusters()));
        } else {
            s.append(" The model adjusted for channel, contact reason and language could not be estimated on these "
                    + "conversations; adjusted.csv says why.");
        }
        s.append('\n');
    }

    private static String privacy(Result result) {
        PiiCounts pii = result.pii();
        return String.format(Locale.ROOT, "\n\nBefore any text was written, personal data in the turns read (customer "
                        + "and agent) was replaced by placeholders: %s, %s, %s and %s. examples.csv holds %s, up to %d "
                        + "per language and code; no file holds an id.", count(pii.emails(), "e-mail address",
                        "e-mail addresses"), count(pii.phones(), "phone number", "phone numbers"),
                count(pii.cards(), "card number", "card numbers"), count(pii.ibans(), "IBAN", "IBANs"),
                count(result.examples().size(), "redacted customer turn", "redacted customer turns"),
                result.examplesPerCode());
    }

    /** An odds ratio in words: "23% lower", "40% higher", or from 2 on "3.1 times as high". */
    private static String odds(double ratio) {
        return ratio >= 2 ? String.format(Locale.ROOT, "%.1f times as high", ratio) : Figures.change(ratio);
    }

    private static String count(long n, String one, String many) {
        return String.format(Locale.ROOT, "%,d %s", n, n == 1 ? one : many);
    }

    private static String label(VerbatimCode code) {
        return code.label();
    }

    private static String points(double share) {
        return String.format(Locale.ROOT, "%+.1f", 100 * share);
    }
}
