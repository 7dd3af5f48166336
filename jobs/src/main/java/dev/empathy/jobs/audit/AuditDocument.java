package dev.empathy.jobs.audit;

import static dev.empathy.jobs.audit.AuditReport.cellName;
import static dev.empathy.jobs.audit.AuditReport.one;
import static dev.empathy.jobs.audit.AuditReport.signed;

import dev.empathy.jobs.audit.Audit.Cell;
import dev.empathy.jobs.audit.Audit.Change;
import dev.empathy.jobs.audit.Audit.Finding;
import dev.empathy.jobs.audit.Audit.Result;
import dev.empathy.jobs.audit.Audit.Sla;
import dev.empathy.reports.chart.AuditCharts;
import dev.empathy.reports.chart.AuditCharts.Estimate;
import dev.empathy.reports.chart.AuditCharts.Flag;
import dev.empathy.reports.chart.AuditCharts.GapRow;
import dev.empathy.reports.chart.AuditCharts.HeatCell;
import dev.empathy.reports.chart.AuditCharts.Shares;
import dev.empathy.reports.chart.Charts;
import dev.empathy.reports.document.Block;
import dev.empathy.reports.document.HtmlReport;
import dev.empathy.reports.document.PdfReport;
import dev.empathy.reports.document.Report;
import dev.empathy.reports.io.ReportFolder;
import dev.empathy.reports.text.Figures;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The audit's report for CX executives, {@code report.html} and {@code report.pdf}, composed from
 * the {@link Result} alone (no Spark): the title with the audited quarter; four charts (the region
 * x channel heat map of the audited quarter's empathy score, the quarter-over-quarter changes, the
 * public replies' compliance per region, the in-house and outsourced teams); three to six findings
 * in plain words; the figures behind the heat map with their intervals and n; and a methods
 * appendix. See docs/jobs/audit.md, "The report".
 *
 * <p>What never enters: customer and agent ids, conversation text, and the empathy phrases
 * themselves. The phrases are codebook patterns, not free text, but an agent's whole line can be
 * the pattern ("I'm sorry."), so the report prints none; the agent-level rows
 * ({@link Result#agents()}, {@code performative_agents.csv}) are never read here. Region, channel
 * and team names are data and print as text (the renderers escape them).
 *
 * <p>The only date printed, and the PDF's dates and id, are the run's ({@link Result#runDate()}):
 * the same input and run date give the same bytes.
 */
final class AuditDocument {

    /** The document's title, followed by the audited quarter. */
    static final String TITLE = "Quarterly empathy audit";

    /** The most rows the change chart shows; every row is in qoq.csv. */
    static final int CHANGE_ROWS = 16;

    /** The fewest and the most findings the report states. */
    static final int FEWEST_FINDINGS = 3;
    static final int MOST_FINDINGS = 6;

    private static final String ALL_REGIONS = "all regions";
    private static final String ALL_CHANNELS = "all channels";

    private AuditDocument() {
    }

    /** Writes {@code report.html} and {@code report.pdf}. */
    static void write(Result result, ReportFolder folder) {
        Report report = build(result);
        HtmlReport.write(folder, "report.html", report);
        PdfReport.write(folder, "report.pdf", report);
    }

    static Report build(Result result) {
        if (result.audited().isEmpty()) {
            List<Block> blocks = new ArrayList<>();
            result.notes().forEach(n -> blocks.add(new Block.Paragraph(n)));
            return new Report(TITLE, "No quarter to audit", result.runDate(),
                    List.of(new Report.Section("Nothing to audit", blocks)), methods(result));
        }
        Quarter now = result.audited().get();
        Quarter before = result.previous().orElse(now.previous());
        List<Report.Section> sections = new ArrayList<>();
        sections.add(standing(result, now));
        sections.add(changes(result, now, before));
        sections.add(publicReplies(result, now, before));
        sections.add(teams(result, now, before));
        sections.add(Report.Section.of("Findings", new Block.Findings(findings(result, now, before))));
        sections.add(figures(result, now));
        if (!result.notes().isEmpty()) {
            List<Block> notes = new ArrayList<>();
            result.notes().forEach(n -> notes.add(new Block.Note(n)));
            sections.add(new Report.Section("What could not be computed", notes));
        }
        String subtitle = String.format(Locale.ROOT, "%s against %s: %,d contacts scored for empathy in %s, %,d in %s",
                now, before, scored(result, "scored_audited_quarter"), now, scored(result, "scored_previous_quarter"),
                before);
        return new Report(TITLE + ", " + now, subtitle, result.runDate(), sections, methods(result));
    }

    // ---- the charts -------------------------------------------------------------------------

    private static Report.Section standing(Result result, Quarter now) {
        List<Cell> cells = result.cells(now).stream().filter(c -> c.teamType().equals(Audit.ALL)).toList();
        List<String> regions = labels(cells.stream().map(Cell::region).toList(), ALL_REGIONS);
        List<String> channels = labels(cells.stream().map(Cell::channel).toList(), ALL_CHANNELS);
        List<HeatCell> heat = new ArrayList<>();
        for (Cell c : cells) {
            heat.add(new HeatCell(label(c.region(), ALL_REGIONS), label(c.channel(), ALL_CHANNELS), c.empathyMean(),
                    c.scored(), flag(c.flag()), c.suppressed()));
        }
        Charts.Drawing map = AuditCharts.heatmap("Empathy score by region and channel, " + now,
                String.format(Locale.ROOT, "Mean QA empathy score (0-100) and scored contacts (n), %s", now), "region",
                "channel", "empathy score", regions, channels, heat, result.options().minCell(), 1);
        Block.Paragraph intro = new Block.Paragraph(String.format(Locale.ROOT, "Each square is a region and channel "
                + "of %s; the last row and column are the totals. A square outlined and marked \"below\" or \"above\" "
                + "differs from the rest of the organisation by more than chance would explain, allowing for the "
                + "number of squares compared. Grey squares had fewer than %d scored contacts: too small to compare, "
                + "only their count is shown.", now, result.options().minCell()));
        return Report.Section.of("Where empathy stands", intro,
                new Block.Chart(map.chart(), map.width(), map.height(), String.format(Locale.ROOT,
                        "Mean QA empathy score by region and channel in %s; outlined squares differ from the rest of "
                                + "the organisation (false discovery rate 5%%).", now)));
    }

    private static Report.Section changes(Result result, Quarter now, Quarter before) {
        List<Change> shown = result.qoq().stream().filter(c -> c.teamType().equals(Audit.ALL))
                .filter(c -> !c.suppressed() && Double.isFinite(c.change()))
                .sorted(Comparator.comparing((Change c) -> !significant(c))
                        .thenComparing(c -> -Math.abs(c.change()))
                        .thenComparing(Change::region).thenComparing(Change::channel))
                .limit(CHANGE_ROWS)
                .sorted(Comparator.comparingDouble(Change::change).thenComparing(Change::region)
                        .thenComparing(Change::channel))
                .toList();
        long comparable = result.qoq().stream().filter(c -> c.teamType().equals(Audit.ALL))
                .filter(c -> !c.suppressed() && Double.isFinite(c.change())).count();
        long tooSmall = result.qoq().stream().filter(c -> c.teamType().equals(Audit.ALL)).filter(Change::suppressed)
                .count();
        if (shown.isEmpty()) {
            return Report.Section.of("What changed since " + before, new Block.Paragraph(String.format(Locale.ROOT,
                    "No region or channel had at least %d scored contacts in both %s and %s, so no change could be "
                            + "measured.", result.options().minCell(), before, now)));
        }
        List<AuditCharts.Change> rows = new ArrayList<>();
        for (Change c : shown) {
            Flag f = !significant(c) ? Flag.NONE : c.change() < 0 ? Flag.BELOW : Flag.ABOVE;
            rows.add(new AuditCharts.Change(place(c.region(), c.channel()), c.change(), c.ciLow(), c.ciHigh(), f));
        }
        Charts.Drawing chart = AuditCharts.changes("Change from " + before + " to " + now,
                "Mean QA empathy score, points, by region and channel", "change in points", rows, 1);
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Block.Chart(chart.chart(), chart.width(), chart.height(), String.format(Locale.ROOT,
                "The change of each region and channel's mean score from %s to %s with its 95%% interval.", before,
                now)));
        StringBuilder note = new StringBuilder();
        if (comparable > shown.size()) {
            note.append(String.format(Locale.ROOT, "The chart shows %d of the %d regions and channels that could be "
                    + "compared: the significant changes and the largest others; qoq.csv holds them all. ",
                    shown.size(), comparable));
        }
        if (tooSmall > 0) {
            note.append(String.format(Locale.ROOT, "%d had fewer than %d scored contacts in one of the quarters and "
                    + "are left out.", tooSmall, result.options().minCell()));
        }
        if (!note.isEmpty()) {
            blocks.add(new Block.Note(note.toString().strip()));
        }
        return new Report.Section("What changed since " + before, blocks);
    }

    private static Report.Section publicReplies(Result result, Quarter now, Quarter before) {
        List<Sla> totals = result.sla().stream().filter(s -> s.tier().equals(Audit.ALL)).toList();
        String heading = "Public replies within their target time";
        if (totals.isEmpty()) {
            return Report.Section.of(heading, new Block.Paragraph(String.format(Locale.ROOT,
                    "No contact of %s or %s was marked public, so there is nothing to say about public replies.",
                    before, now)));
        }
        List<String> regions = labels(totals.stream().map(Sla::region).toList(), ALL_REGIONS);
        List<Shares> series = new ArrayList<>();
        for (Quarter q : List.of(before, now)) {
            double[] share = new double[regions.size()];
            double[] low = new double[regions.size()];
            double[] high = new double[regions.size()];
            java.util.Arrays.fill(share, Double.NaN);
            java.util.Arrays.fill(low, Double.NaN);
            java.util.Arrays.fill(high, Double.NaN);
            for (Sla s : totals) {
                if (s.quarter().equals(q.toString()) && s.measured() > 0) {
                    int i = regions.indexOf(label(s.region(), ALL_REGIONS));
                    share[i] = s.compliance();
                    low[i] = s.ciLow();
                    high[i] = s.ciHigh();
                }
            }
            series.add(new Shares(q.toString(), share, low, high));
        }
        Charts.Drawing chart = AuditCharts.compliance("Public replies within their target time, by region",
                "Share of public posts answered within the target of their audience reach (" + AuditReport.tiers(result)
                        + ")", "region", "within target", regions, series, Double.NaN);
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Block.Chart(chart.chart(), chart.width(), chart.height(), String.format(Locale.ROOT,
                "The share of public posts answered within their target time in %s and %s, with 95%% intervals; a "
                        + "missing bar: no public post with a known reach and response time.", before, now)));
        Optional<Sla> all = totals.stream().filter(s -> s.quarter().equals(now.toString())
                && s.region().equals(Audit.ALL)).findFirst();
        if (all.isPresent()) {
            Sla a = all.get();
            StringBuilder text = new StringBuilder();
            if (a.measured() > 0) {
                text.append(String.format(Locale.ROOT, "In %s, %s of %,d public posts were answered in time (%s to "
                        + "%s).", now, Figures.percent(a.compliance()), a.measured(), Figures.percent(a.ciLow()),
                        Figures.percent(a.ciHigh())));
            }
            if (a.unmeasured() > 0) {
                text.append(String.format(Locale.ROOT, " %,d more lacked the reach or the response time and are "
                        + "not counted.", a.unmeasured()));
            }
            if (a.complaintsFollowed() > 0) {
                text.append(String.format(Locale.ROOT, " Of %,d public complaints, %s were moved to a private channel "
                        + "(%s to %s).", a.complaintsFollowed(), Figures.percent(a.movedShare()),
                        Figures.percent(a.movedLow()), Figures.percent(a.movedHigh())));
            }
            if (!text.isEmpty()) {
                blocks.add(new Block.Paragraph(text.toString().strip()));
            }
        }
        return new Report.Section(heading, blocks);
    }

    private static Report.Section teams(Result result, Quarter now, Quarter before) {
        List<GapRow> rows = new ArrayList<>();
        for (Quarter q : List.of(before, now)) {
            Optional<Cell> in = total(result, q, "in_house");
            Optional<Cell> out = total(result, q, "outsourced");
            Estimate gap = in.filter(c -> !c.suppressed())
                    .map(c -> new Estimate(c.diffVsRest(), c.diffLow(), c.diffHigh()))
                    .orElse(new Estimate(Double.NaN, Double.NaN, Double.NaN));
            rows.add(new GapRow(q.toString(), estimate(in), estimate(out), gap));
        }
        Charts.Drawing chart = AuditCharts.gap("In-house and outsourced agents", "Mean QA empathy score with 95% "
                + "intervals", "empathy score", "in-house", "outsourced", rows, 1);
        return Report.Section.of("In-house and outsourced agents",
                new Block.Chart(chart.chart(), chart.width(), chart.height(), String.format(Locale.ROOT,
                        "Each team type's mean score in %s and %s; the gap is in-house minus outsourced, with its "
                                + "95%% interval.", before, now)));
    }

    // ---- the findings -----------------------------------------------------------------------

    /**
     * Three to six findings: the largest significant declines (up to three) and improvements (up
     * to two), then the cells that stand out from the rest (to five in all); a plain statement when
     * nothing changed or stood out; then the overall score, the public replies and the team gap
     * until there are three.
     */
    static List<Block.Finding> findings(Result result, Quarter now, Quarter before) {
        List<Block.Finding> out = new ArrayList<>();
        List<Finding> declines = onePerPlace(kind(result, "decline"));
        List<Finding> improvements = onePerPlace(kind(result, "improvement"));
        List<String> named = new ArrayList<>();
        declines.stream().limit(3).forEach(f -> {
            out.add(change(result, f, now, before));
            named.add(key(f));
        });
        improvements.stream().limit(2).forEach(f -> {
            out.add(change(result, f, now, before));
            named.add(key(f));
        });
        List<Finding> flagged = new ArrayList<>(kind(result, "below"));
        flagged.addAll(kind(result, "above"));
        for (Finding f : flagged) {
            if (out.size() >= MOST_FINDINGS - 1) {
                break;
            }
            if (!named.contains(key(f))) {
                out.add(standsOut(f, now));
            }
        }
        if (declines.isEmpty() && improvements.isEmpty()) {
            long compared = result.qoq().stream().filter(c -> !c.suppressed() && Double.isFinite(c.pValue())).count();
            out.add(new Block.Finding("No significant change since " + before + ".", String.format(Locale.ROOT,
                    "Of the %,d regions, channels and teams large enough to compare in both quarters, none changed "
                            + "by more than chance would explain once the number of comparisons is allowed for.",
                    compared)));
        }
        if (flagged.isEmpty() && out.size() < MOST_FINDINGS) {
            long compared = result.cells(now).stream().filter(c -> !c.suppressed() && Double.isFinite(c.pValue()))
                    .count();
            out.add(new Block.Finding("No region, channel or team stands out in " + now + ".",
                    String.format(Locale.ROOT, "Of the %,d compared with the rest of the organisation, none is above "
                            + "or below it by more than chance would explain.", compared)));
        }
        List<Optional<Block.Finding>> context = List.of(overall(result, now, before), replies(result, now),
                gap(result, now));
        for (Optional<Block.Finding> f : context) {
            if (out.size() < FEWEST_FINDINGS) {
                f.ifPresent(out::add);
            }
        }
        return out.size() > MOST_FINDINGS ? out.subList(0, MOST_FINDINGS) : out;
    }

    private static List<Finding> kind(Result result, String kind) {
        return result.findings().stream().filter(f -> f.kind().equals(kind)).toList();
    }

    /**
     * One finding per region and channel, where it first appears (largest first): the team type
     * {@code all} when it is among them, so that a fall of one cell is not told three times (in
     * total, in-house and outsourced).
     */
    private static List<Finding> onePerPlace(List<Finding> findings) {
        List<String> places = new ArrayList<>();
        List<Finding> out = new ArrayList<>();
        for (Finding f : findings) {
            String place = f.region() + "\u0000" + f.channel();
            if (places.contains(place)) {
                continue;
            }
            places.add(place);
            out.add(findings.stream().filter(g -> g.region().equals(f.region()) && g.channel().equals(f.channel())
                    && g.teamType().equals(Audit.ALL)).findFirst().orElse(f));
        }
        return out;
    }

    private static String key(Finding f) {
        return f.region() + "\u0000" + f.channel() + "\u0000" + f.teamType();
    }

    private static Block.Finding change(Result result, Finding f, Quarter now, Quarter before) {
        boolean fell = f.estimate() < 0;
        String who = cellName(f.region(), f.channel(), f.teamType());
        String headline = String.format(Locale.ROOT, "%s: empathy %s by %s points.", who, fell ? "fell" : "rose",
                one(Math.abs(f.estimate())));
        Optional<Change> row = result.qoq().stream().filter(c -> c.region().equals(f.region())
                && c.channel().equals(f.channel()) && c.teamType().equals(f.teamType())).findFirst();
        StringBuilder detail = new StringBuilder();
        if (row.isPresent()) {
            detail.append(String.format(Locale.ROOT, "The mean QA empathy score went from %s in %s to %s in %s (%,d "
                    + "scored contacts in %s, %,d in %s). ", one(row.get().meanBefore()), before,
                    one(row.get().meanNow()), now, row.get().scoredBefore(), before, row.get().scoredNow(), now));
        }
        detail.append(String.format(Locale.ROOT, "With 95%% confidence the %s is between %s and %s points; it is "
                        + "larger than chance would explain even allowing for the number of comparisons.",
                fell ? "fall" : "rise", one(Math.min(Math.abs(f.ciLow()), Math.abs(f.ciHigh()))),
                one(Math.max(Math.abs(f.ciLow()), Math.abs(f.ciHigh())))));
        return new Block.Finding(headline, detail.toString());
    }

    private static Block.Finding standsOut(Finding f, Quarter now) {
        boolean below = f.kind().equals("below");
        String who = cellName(f.region(), f.channel(), f.teamType());
        return new Block.Finding(String.format(Locale.ROOT, "%s scores %s the rest of the organisation.", who,
                below ? "below" : "above"), String.format(Locale.ROOT, "In %s its mean QA empathy score was %s points "
                        + "%s everyone else's (with 95%% confidence between %s and %s points; %,d scored contacts).",
                now, one(Math.abs(f.estimate())), below ? "below" : "above",
                one(Math.min(Math.abs(f.ciLow()), Math.abs(f.ciHigh()))),
                one(Math.max(Math.abs(f.ciLow()), Math.abs(f.ciHigh()))), f.scored()));
    }

    private static Optional<Block.Finding> overall(Result result, Quarter now, Quarter before) {
        Optional<Cell> total = result.cells(now).stream().filter(Cell::isTotal).filter(c -> !c.suppressed())
                .filter(c -> Double.isFinite(c.empathyMean())).findFirst();
        if (total.isEmpty()) {
            return Optional.empty();
        }
        Cell t = total.get();
        String detail = String.format(Locale.ROOT, "The mean QA empathy score was %s out of 100 (95%% interval %s to "
                + "%s; %,d scored contacts, %,d agents).", one(t.empathyMean()), one(t.ciLow()), one(t.ciHigh()),
                t.scored(), t.agents());
        Optional<Change> c = result.qoq().stream().filter(x -> x.region().equals(Audit.ALL)
                && x.channel().equals(Audit.ALL) && x.teamType().equals(Audit.ALL))
                .filter(x -> !x.suppressed() && Double.isFinite(x.change())).findFirst();
        if (c.isPresent()) {
            detail += String.format(Locale.ROOT, " That is %s points from %s (%s to %s)%s.", signed(c.get().change()),
                    before, signed(c.get().ciLow()), signed(c.get().ciHigh()),
                    AuditReport.clear(c.get().ciLow(), c.get().ciHigh()) ? ""
                            : ", a change the data cannot tell from none");
        }
        return Optional.of(new Block.Finding("The whole organisation in " + now + ".", detail));
    }

    private static Optional<Block.Finding> replies(Result result, Quarter now) {
        return result.sla().stream().filter(s -> s.quarter().equals(now.toString()) && s.region().equals(Audit.ALL)
                && s.tier().equals(Audit.ALL) && s.measured() > 0).findFirst()
                .map(a -> new Block.Finding(String.format(Locale.ROOT, "%s of public posts were answered in time.",
                        Figures.percent(a.compliance())), String.format(Locale.ROOT, "Of %,d public posts with a known "
                                + "reach and response time in %s, %,d were answered within their target (95%% interval "
                                + "%s to %s).", a.measured(), now, a.withinTarget(), Figures.percent(a.ciLow()),
                        Figures.percent(a.ciHigh()))));
    }

    private static Optional<Block.Finding> gap(Result result, Quarter now) {
        return total(result, now, "in_house").filter(c -> !c.suppressed() && Double.isFinite(c.diffVsRest()))
                .map(c -> new Block.Finding(String.format(Locale.ROOT, "In-house agents scored %s points %s outsourced "
                                + "agents.", one(Math.abs(c.diffVsRest())), c.diffVsRest() < 0 ? "below" : "above"),
                        String.format(Locale.ROOT, "In %s the gap (in-house minus outsourced) was %s points, with 95%% "
                                        + "confidence between %s and %s%s.", now, signed(c.diffVsRest()),
                                signed(c.diffLow()), signed(c.diffHigh()),
                                AuditReport.clear(c.diffLow(), c.diffHigh()) ? ""
                                        : ": the data cannot tell it from no gap")));
    }

    // ---- the figures and the methods ----------------------------------------------------------

    private static Report.Section figures(Result result, Quarter now) {
        List<Block.Column> columns = List.of(new Block.Column("region", false), new Block.Column("channel", false),
                new Block.Column("scored", true), new Block.Column("mean (95% interval)", false),
                new Block.Column("vs. rest (95% interval)", false), new Block.Column("flag", false));
        List<List<String>> rows = new ArrayList<>();
        for (Cell c : result.cells(now)) {
            if (!c.teamType().equals(Audit.ALL)) {
                continue;
            }
            String region = label(c.region(), ALL_REGIONS);
            String channel = label(c.channel(), ALL_CHANNELS);
            String n = String.format(Locale.ROOT, "%,d", c.scored());
            if (c.suppressed()) {
                rows.add(List.of(region, channel, n, "too small to compare", "", ""));
                continue;
            }
            rows.add(List.of(region, channel, n, finite(c.empathyMean())
                            + (Double.isFinite(c.ciLow()) ? " (" + one(c.ciLow()) + " to " + one(c.ciHigh()) + ")" : ""),
                    Double.isFinite(c.diffVsRest()) ? signed(c.diffVsRest()) + (Double.isFinite(c.diffLow())
                            ? " (" + signed(c.diffLow()) + " to " + signed(c.diffHigh()) + ")" : "") : "", c.flag()));
        }
        return Report.Section.of("The figures behind the heat map",
                new Block.Note(String.format(Locale.ROOT, "\"scored\" counts the contacts with a QA empathy score; "
                        + "\"vs. rest\" is the square's mean minus the mean of every other contact of %s, in points, with its "
                        + "95%% interval; "
                        + "\"flag\" says below or above where that difference is significant. cube.csv holds every region, channel and team type of both quarters.", now)),
                new Block.Table(String.format(Locale.ROOT, "Mean QA empathy score by region and channel, %s", now),
                        columns, rows));
    }

    private static List<Report.Section> methods(Result result) {
        Audit.Options o = result.options();
        return List.of(Report.Section.of("Methods",
                new Block.Paragraph("Scores are the QA empathy score of each contact (0 to 100); contacts without a "
                        + "score count in the totals but not in the means. Every region, channel and team type, and "
                        + "each of their totals, is a cell."),
                new Block.Paragraph("Clustering by agent. One agent's contacts are alike, so every interval and test "
                        + "treats the agent, not the contact, as the unit of independent information: standard errors "
                        + "are cluster-robust by agent (CR1, as R's sandwich::vcovCL with type HC1) and use a t "
                        + "distribution with one degree of freedom fewer than the number of agents."),
                new Block.Paragraph("The tests. A cell is compared with the rest of the organisation in the same "
                        + "quarter by a regression of the score on being in the cell. A change from the previous "
                        + "quarter is a regression of the cell's scores on the quarter (an agent who worked in both "
                        + "quarters is one cluster). The gap between in-house and outsourced agents is the in-house "
                        + "cell of the whole organisation against the rest, which is the outsourced agents."),
                new Block.Paragraph(String.format(Locale.ROOT, "Multiple comparisons. With many cells some would "
                        + "look different by chance, so p-values are adjusted by the Benjamini-Hochberg procedure over "
                        + "every cell of the quarter that was tested (and, separately, over every change), and a cell "
                        + "or change is called significant only when its q-value is below %s: at most about one in "
                        + "twenty of them is expected to be a false alarm.", Figures.plain(Audit.FDR))),
                new Block.Paragraph(String.format(Locale.ROOT, "Suppression. A cell with fewer than %d scored contacts "
                        + "shows its counts only, is marked too small to compare and takes no part in the "
                        + "multiple-comparison count; a change needs %d in both quarters. The minimum is the job's "
                        + "--min-cell option.", o.minCell(), o.minCell())),
                new Block.Paragraph(String.format(Locale.ROOT, "Public replies. A public post is answered in time when "
                        + "its first response comes within the target of its audience reach: %s (the --sla-tiers "
                        + "option). Posts without a reach or a response time are counted apart. A public complaint was "
                        + "moved to a private channel when the same customer's next contact starts within %d hours and "
                        + "is not public; complaints whose %d hours reach past the end of the data are left out. "
                        + "Shares have Wilson score intervals.", AuditReport.tiers(result), o.privateHours(),
                        o.privateHours())),
                new Block.Paragraph("Privacy. This report holds no customer or agent id and no text of any "
                        + "conversation, and it names no empathy phrase: the phrases are patterns of the codebook, but "
                        + "an agent's whole line can be just the pattern. Agent-level figures are in "
                        + "performative_agents.csv, an operations file that is not part of this report.")));
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static boolean significant(Change c) {
        return !c.suppressed() && c.qValue() < Audit.FDR;
    }

    private static Flag flag(String flag) {
        return flag.equals("below") ? Flag.BELOW : flag.equals("above") ? Flag.ABOVE : Flag.NONE;
    }

    private static Optional<Cell> total(Result result, Quarter q, String team) {
        return result.cells(q).stream().filter(c -> c.region().equals(Audit.ALL) && c.channel().equals(Audit.ALL)
                && c.teamType().equals(team)).findFirst();
    }

    private static Estimate estimate(Optional<Cell> cell) {
        return cell.filter(c -> !c.suppressed())
                .map(c -> new Estimate(c.empathyMean(), c.ciLow(), c.ciHigh()))
                .orElse(new Estimate(Double.NaN, Double.NaN, Double.NaN));
    }

    /** The distinct values, sorted, with the margin's label last. */
    private static List<String> labels(List<String> values, String margin) {
        TreeSet<String> named = new TreeSet<>();
        boolean all = false;
        for (String v : values) {
            if (v.equals(Audit.ALL)) {
                all = true;
            } else {
                named.add(v);
            }
        }
        List<String> out = new ArrayList<>(named);
        if (all) {
            out.add(margin);
        }
        return out;
    }

    private static String label(String value, String margin) {
        return value.equals(Audit.ALL) ? margin : value;
    }

    private static String place(String region, String channel) {
        return label(region, ALL_REGIONS) + " / " + label(channel, ALL_CHANNELS);
    }

    private static long scored(Result result, String step) {
        Long n = result.steps().counts().get(step);
        return n == null ? 0 : n;
    }

    private static String finite(double v) {
        return Double.isFinite(v) ? one(v) : "";
    }
}
