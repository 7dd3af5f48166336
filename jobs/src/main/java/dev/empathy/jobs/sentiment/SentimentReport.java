package dev.empathy.jobs.sentiment;

import dev.empathy.jobs.sentiment.Sentiment.Adjusted;
import dev.empathy.jobs.sentiment.Sentiment.Deteriorating;
import dev.empathy.jobs.sentiment.Sentiment.Result;
import dev.empathy.jobs.sentiment.Sentiment.Shift;
import dev.empathy.jobs.sentiment.Sentiment.TestRow;
import dev.empathy.jobs.sentiment.Sentiment.TrajectoryPoint;
import dev.empathy.lib.regression.Estimate;
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

/**
 * The files of {@code sentiment} (see docs/jobs/sentiment.md): {@code turn_scores/} (Parquet),
 * {@code population.csv}, {@code trajectories.csv}, {@code shift.csv}, {@code tests.csv},
 * {@code adjusted.csv}, {@code deteriorating.csv}, the chart {@code trajectories.png} and
 * {@code summary.md}. No text of any turn is written: the Parquet holds scores only, and
 * {@code deteriorating.csv} ids and scores.
 */
final class SentimentReport {

    private SentimentReport() {
    }

    static void write(Result result, ReportFolder folder) {
        // The one Spark write of a writer: the scored turns the result carries, as Parquet.
        result.turnScores().write().mode("overwrite").parquet(folder.location("turn_scores"));
        result.steps().write(folder);
        List<List<Object>> trajectories = new ArrayList<>();
        for (TrajectoryPoint p : result.trajectories()) {
            trajectories.add(Arrays.asList(p.documented(), p.decile(), p.mean().mean(), p.mean().low(),
                    p.mean().high(), p.mean().n(), p.conversations(), p.mean().clusters()));
        }
        CsvFile.write(folder, "trajectories.csv", List.of("documented", "decile", "mean_sentiment", "ci_low",
                "ci_high", "turns", "conversations", "agents"), trajectories);
        List<List<Object>> shift = new ArrayList<>();
        for (Shift s : result.shift()) {
            shift.add(Arrays.asList(s.documented(), s.conversations(), s.meanFirst(), s.meanLast(), s.meanShift(),
                    s.low(), s.high()));
        }
        CsvFile.write(folder, "shift.csv", List.of("documented", "conversations", "mean_first", "mean_last",
                "mean_shift", "ci_low", "ci_high"), shift);
        List<List<Object>> tests = new ArrayList<>();
        for (TestRow t : result.tests()) {
            tests.add(Arrays.asList(t.test(), t.statistic(), t.pValue(), t.effect()));
        }
        CsvFile.write(folder, "tests.csv", List.of("test", "statistic", "p_value", "effect"), tests);
        List<List<Object>> adjusted = new ArrayList<>();
        for (Adjusted a : result.adjusted()) {
            Estimate e = a.term();
            adjusted.add(Arrays.asList(a.model(), e.term(), e.estimate(), e.stdError(), e.ciLow(), e.ciHigh(),
                    e.pValue(), a.n(), a.clusters(), a.note()));
        }
        CsvFile.write(folder, "adjusted.csv", List.of("model", "term", "estimate", "std_error", "ci_low", "ci_high",
                "p_value", "n", "clusters", "note"), adjusted);
        List<List<Object>> deteriorating = new ArrayList<>();
        for (Deteriorating d : result.deteriorating()) {
            deteriorating.add(Arrays.asList(d.interactionId(), d.agentId(), d.first(), d.last(), d.min()));
        }
        CsvFile.write(folder, "deteriorating.csv", List.of("interaction_id", "agent_id", "first", "last", "min"),
                deteriorating);
        chart(result, folder);
        folder.text("summary.md", summary(result));
    }

    private static void chart(Result result, ReportFolder folder) {
        List<Charts.Band> bands = new ArrayList<>();
        for (String documented : List.of("yes", "no")) {
            List<TrajectoryPoint> points = result.trajectories().stream()
                    .filter(p -> p.documented().equals(documented) && Double.isFinite(p.mean().mean())).toList();
            if (points.isEmpty()) {
                continue;
            }
            int n = points.size();
            double[] x = new double[n];
            double[] y = new double[n];
            double[] low = new double[n];
            double[] high = new double[n];
            for (int i = 0; i < n; i++) {
                TrajectoryPoint p = points.get(i);
                x[i] = p.decile();
                y[i] = p.mean().mean();
                // Without an interval (one agent) the band collapses onto the line.
                low[i] = Double.isFinite(p.mean().low()) ? p.mean().low() : y[i];
                high[i] = Double.isFinite(p.mean().high()) ? p.mean().high() : y[i];
            }
            bands.add(new Charts.Band(documented.equals("yes") ? "empathy documented" : "not documented", x, y, low,
                    high));
        }
        Charts.bands(folder, "trajectories.png", "Customer sentiment through the conversation",
                "Mean sentiment of the customer's turns by tenth of the conversation, 95% intervals clustered by agent",
                "tenth of the conversation (1 = opening, 10 = close)", "mean sentiment (-1 to 1)", bands);
    }

    static String summary(Result result) {
        StringBuilder s = new StringBuilder("# Customer sentiment through the conversation\n\n");
        long scored = result.steps().get("with_a_scored_customer_turn");
        long moved = result.steps().get("with_two_or_more");
        long turns = result.turnsBySource().values().stream().mapToLong(Long::longValue).sum();
        if (turns == 0) {
            return s.append("There were no turns in the data, so there was nothing to analyse.\n").toString();
        }
        long unscored = result.turnsBySource().getOrDefault("unscored_language", 0L);
        long empty = result.turnsBySource().getOrDefault("empty", 0L);
        long lexicon = result.turnsBySource().entrySet().stream().filter(e -> e.getKey().startsWith("lexicon:"))
                .mapToLong(Map.Entry::getValue).sum();
        s.append(String.format(Locale.ROOT, "Of %,d turns, %,d carried a sentiment score from the data, %,d were "
                        + "scored from English text with VADER and %,d with another language's lexicon; %,d were in a "
                        + "language the toolkit has no lexicon for (or none given) and %,d were empty.", turns,
                result.turnsBySource().getOrDefault("given", 0L), result.turnsBySource().getOrDefault("vader", 0L),
                lexicon, unscored, empty));
        if (scored == 0) {
            return s.append(" No conversation had a scored customer turn, so there was nothing to analyse.\n")
                    .toString();
        }
        s.append(String.format(Locale.ROOT, " %,d conversations had a scored customer turn; the %,d with two or more "
                + "show how the customer's mood moved.\n\n", scored, moved));
        Optional<Shift> yes = result.shift("yes");
        Optional<Shift> no = result.shift("no");
        Optional<Shift> diff = result.shift("difference");
        if (yes.isPresent() && no.isPresent() && yes.get().conversations() > 0 && no.get().conversations() > 0) {
            s.append(String.format(Locale.ROOT, "When the agent documented empathy, the customer's sentiment moved "
                            + "by %s from their first to their last turn (95%% interval %s to %s, %,d conversations); "
                            + "when not, by %s (%s to %s, %,d conversations).", signed(yes.get().meanShift()),
                    signed(yes.get().low()), signed(yes.get().high()), yes.get().conversations(),
                    signed(no.get().meanShift()), signed(no.get().low()), signed(no.get().high()),
                    no.get().conversations()));
            if (diff.isPresent() && Double.isFinite(diff.get().meanShift())) {
                Shift d = diff.get();
                boolean clear = d.low() > 0 || d.high() < 0;
                s.append(String.format(Locale.ROOT, " The difference is %s on the -1 to 1 scale (%s to %s, "
                                + "standard errors clustered by agent)%s.", signed(d.meanShift()), signed(d.low()),
                        signed(d.high()), clear ? "" : ", which the data cannot tell from no difference"));
            }
            s.append('\n');
        } else if (moved > 0) {
            s.append("Every conversation with two or more scored customer turns was on the same side of documented "
                    + "empathy, so the two cannot be compared.\n");
        } else {
            s.append("No conversation had two scored customer turns, so no shift could be measured.\n");
        }
        result.adjusted().stream().filter(a -> a.model().equals("score") && a.term().term().equals("empathy_10")
                        && Double.isFinite(a.term().estimate()))
                .findFirst().ifPresent(a -> s.append(String.format(Locale.ROOT, "\nAmong QA-scored contacts alike in "
                                + "channel, contact reason, language and opening sentiment, 10 more empathy points "
                                + "went with a shift %s (%s to %s, n = %,d).\n", signed(a.term().estimate()),
                        signed(a.term().ciLow()), signed(a.term().ciHigh()), a.n())));
        s.append(String.format(Locale.ROOT, "\n%,d conversations ended clearly worse than they started (the last "
                        + "sentiment at least %s below the first, and negative); `deteriorating.csv` lists them for "
                        + "follow-up.\n", result.deteriorating().size(), Figures.plain(result.deterioration())));
        return s.toString();
    }

    private static String signed(double v) {
        if (!Double.isFinite(v)) {
            return "unknown";
        }
        return String.format(Locale.ROOT, "%+.3f", v);
    }
}
