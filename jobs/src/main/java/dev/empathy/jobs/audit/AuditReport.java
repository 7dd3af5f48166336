package dev.empathy.jobs.audit;

import dev.empathy.jobs.audit.Audit.AgentPhrasing;
import dev.empathy.jobs.audit.Audit.Cell;
import dev.empathy.jobs.audit.Audit.Change;
import dev.empathy.jobs.audit.Audit.Finding;
import dev.empathy.jobs.audit.Audit.OptOutRow;
import dev.empathy.jobs.audit.Audit.Result;
import dev.empathy.jobs.audit.Audit.Sla;
import dev.empathy.jobs.audit.Audit.TeamPhrases;
import dev.empathy.reports.csv.CsvFile;
import dev.empathy.reports.io.ReportFolder;
import dev.empathy.reports.text.Figures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The files of {@code audit} (see docs/jobs/audit.md): {@code population.csv}, {@code cube.csv},
 * {@code qoq.csv}, {@code sla.csv}, {@code opt_out.csv}, {@code performative.csv},
 * {@code performative_agents.csv} (the only file with agent ids: an operations file),
 * {@code summary.md} (no ids, no verbatims), and the executives' {@code report.html} and
 * {@code report.pdf} ({@link AuditDocument}). Every file is written, with its header only when
 * there is nothing to report, and the summary says why.
 */
final class AuditReport {

    /** cube.csv's columns: new ones are only ever appended (other tools read the file by position). */
    static final List<String> CUBE = List.of("quarter", "region", "channel", "team_type", "contacts", "scored",
            "empathy_mean", "ci_low", "ci_high", "documented_share", "csat_mean", "top_box", "repeat_7d",
            "diff_vs_rest", "p_value", "q_value", "flag", "suppressed", "diff_ci_low", "diff_ci_high");
    static final List<String> QOQ = List.of("quarter", "previous_quarter", "region", "channel", "team_type",
            "scored_previous", "scored", "mean_previous", "mean", "change", "ci_low", "ci_high", "p_value", "q_value",
            "agents", "suppressed");
    static final List<String> SLA = List.of("quarter", "region", "tier", "target_minutes", "public_contacts",
            "unmeasured", "missing_reach", "missing_response", "measured", "within_target", "compliance", "ci_low",
            "ci_high", "public_complaints", "complaints_censored", "complaints_followed", "moved_private",
            "moved_share", "moved_ci_low", "moved_ci_high");
    static final List<String> OPT_OUT = List.of("quarter", "measure", "group", "contacts", "with_empathy", "share",
            "ci_low", "ci_high");
    static final List<String> PERFORMATIVE = List.of("quarter", "team_type", "agents", "conversations",
            "with_phrase", "phrase_matches", "distinct_phrases", "distinct_n", "top_phrase",
            "top_phrase_conversations", "top_phrase_share", "conversations_documented",
            "conversations_not_documented", "shift_documented", "shift_not_documented", "shift_gain", "gain_ci_low",
            "gain_ci_high", "gain_p_value");
    static final List<String> AGENTS = List.of("quarter", "agent_id", "team_type", "conversations", "with_phrase",
            "phrase_matches", "distinct_phrases", "distinct_n", "top_phrase", "top_phrase_conversations",
            "top_phrase_share", "conversations_documented", "conversations_not_documented", "shift_documented",
            "shift_not_documented");

    private AuditReport() {
    }

    static void write(Result result, ReportFolder folder) {
        result.steps().write(folder);
        String audited = result.audited().map(Quarter::toString).orElse("");
        String previous = result.previous().map(Quarter::toString).orElse("");
        List<List<Object>> cube = new ArrayList<>();
        for (Cell c : result.cube()) {
            cube.add(Arrays.asList(c.quarter(), c.region(), c.channel(), c.teamType(), c.contacts(), c.scored(),
                    c.empathyMean(), c.ciLow(), c.ciHigh(), c.documentedShare(), c.csatMean(), c.topBox(),
                    c.repeat7d(), c.diffVsRest(), c.pValue(), c.qValue(), c.flag(), c.suppressed() ? "yes" : "no",
                    c.diffLow(), c.diffHigh()));
        }
        CsvFile.write(folder, "cube.csv", CUBE, cube);
        List<List<Object>> qoq = new ArrayList<>();
        for (Change c : result.qoq()) {
            qoq.add(Arrays.asList(audited, previous, c.region(), c.channel(), c.teamType(), c.scoredBefore(),
                    c.scoredNow(), c.meanBefore(), c.meanNow(), c.change(), c.ciLow(), c.ciHigh(), c.pValue(),
                    c.qValue(), c.agents(), c.suppressed() ? "yes" : "no"));
        }
        CsvFile.write(folder, "qoq.csv", QOQ, qoq);
        List<List<Object>> sla = new ArrayList<>();
        for (Sla s : result.sla()) {
            sla.add(Arrays.asList(s.quarter(), s.region(), s.tier(), s.targetMinutes(), s.publicContacts(),
                    s.unmeasured(), s.missingReach(), s.missingResponse(), s.measured(), s.withinTarget(),
                    s.compliance(), s.ciLow(), s.ciHigh(), s.publicComplaints(), s.complaintsCensored(),
                    s.complaintsFollowed(), s.movedPrivate(), s.movedShare(), s.movedLow(), s.movedHigh()));
        }
        CsvFile.write(folder, "sla.csv", SLA, sla);
        List<List<Object>> optOut = new ArrayList<>();
        for (OptOutRow o : result.optOut()) {
            optOut.add(Arrays.asList(o.quarter(), o.measure(), o.group(), o.contacts(), o.withEmpathy(), o.share(),
                    o.ciLow(), o.ciHigh()));
        }
        CsvFile.write(folder, "opt_out.csv", OPT_OUT, optOut);
        List<List<Object>> teams = new ArrayList<>();
        for (TeamPhrases t : result.performative()) {
            teams.add(Arrays.asList(audited, t.teamType(), t.agents(), t.conversations(), t.withPhrase(), t.matches(),
                    t.distinctPerAgent(), t.distinctN(), t.topPhrase(), t.topPhraseConversations(),
                    t.topPhraseShare(), t.shift().conversationsDocumented(), t.shift().conversationsNot(),
                    t.shift().shiftDocumented(), t.shift().shiftNot(), t.shift().difference(), t.shift().ciLow(),
                    t.shift().ciHigh(), t.shift().pValue()));
        }
        CsvFile.write(folder, "performative.csv", PERFORMATIVE, teams);
        List<List<Object>> agents = new ArrayList<>();
        for (AgentPhrasing a : result.agents()) {
            agents.add(Arrays.asList(audited, a.agentId(), a.teamType(), a.conversations(), a.withPhrase(),
                    a.matches(), a.distinct(), a.distinctN(), a.topPhrase(), a.topPhraseConversations(),
                    a.topPhraseShare(), a.conversationsDocumented(), a.conversationsNot(), a.shiftDocumented(),
                    a.shiftNot()));
        }
        CsvFile.write(folder, "performative_agents.csv", AGENTS, agents);
        folder.text("summary.md", summary(result));
        AuditDocument.write(result, folder);
    }

    static String summary(Result result) {
        StringBuilder s = new StringBuilder();
        if (result.audited().isEmpty()) {
            s.append("# Quarterly empathy audit\n\n");
            result.notes().forEach(n -> s.append(n).append('\n'));
            return s.toString();
        }
        Quarter now = result.audited().get();
        Quarter before = result.previous().orElse(now.previous());
        s.append("# Quarterly empathy audit, ").append(now).append("\n\n");
        s.append(String.format(Locale.ROOT, "This audit covers %s (%,d contacts, %,d of them scored for empathy by "
                        + "QA) against %s (%,d contacts, %,d scored). Scores run from 0 to 100; every range below is a "
                        + "95%% interval, and intervals for the score allow for the fact that one agent's contacts "
                        + "are alike.\n", now, result.steps().get(AuditContacts.AUDITED_CONTACTS),
                result.steps().get("scored_audited_quarter"), before,
                result.steps().get(AuditContacts.PREVIOUS_CONTACTS), result.steps().get("scored_previous_quarter")));
        if (!result.notes().isEmpty()) {
            s.append('\n');
            result.notes().forEach(n -> s.append("- ").append(n).append('\n'));
        }
        overall(result, now, before, s);
        cube(result, now, s);
        changes(result, s);
        sla(result, now, s);
        optOut(result, now, s);
        performative(result, now, s);
        s.append("\n## How this was measured\n\n");
        s.append(String.format(Locale.ROOT, "Each cell of region, channel and team type (and each total, written "
                + "`all`) is compared with the rest of the organisation in the same quarter by a regression of the QA "
                + "score on being in the cell, with standard errors clustered by agent. With so many cells some "
                + "would look different by chance, so cells are flagged only when the Benjamini-Hochberg q-value is "
                + "below %s (at most about 1 in 20 flags expected to be false). Cells with fewer than %d scored "
                + "contacts show their counts only and take no part in the comparisons. Changes from the previous "
                + "quarter come from a regression on the quarter within each cell, clustered by agent (most agents "
                + "work in both quarters), with the same control. CSAT's top box is an answer of 4 or 5; a repeat is "
                + "another contact from the same customer within 7 days, as in the repeat-contacts report.\n",
                Figures.plain(Audit.FDR), result.options().minCell()));
        return s.toString();
    }

    private static void overall(Result result, Quarter now, Quarter before, StringBuilder s) {
        Optional<Cell> total = result.cells(now).stream().filter(Cell::isTotal).findFirst();
        Optional<Change> change = result.qoq().stream()
                .filter(c -> c.region().equals(Audit.ALL) && c.channel().equals(Audit.ALL)
                        && c.teamType().equals(Audit.ALL)).findFirst();
        s.append("\n## Overall\n\n");
        if (total.isEmpty() || total.get().suppressed()) {
            s.append(String.format(Locale.ROOT, "Too few contacts were scored in %s (fewer than %d) for an overall "
                    + "figure.\n", now, result.options().minCell()));
            return;
        }
        Cell t = total.get();
        s.append(String.format(Locale.ROOT, "The mean empathy score in %s was %s (%s to %s, %,d scored contacts, %,d "
                + "agents).", now, one(t.empathyMean()), one(t.ciLow()), one(t.ciHigh()), t.scored(), t.agents()));
        if (change.isPresent() && !change.get().suppressed() && Double.isFinite(change.get().change())) {
            Change c = change.get();
            s.append(String.format(Locale.ROOT, " That is %s points from %s (%s to %s)%s.", signed(c.change()), before,
                    signed(c.ciLow()), signed(c.ciHigh()), clear(c.ciLow(), c.ciHigh())
                            ? "" : ", a change the data cannot tell from none"));
        }
        s.append('\n');
        if (Double.isFinite(t.documentedShare())) {
            s.append(String.format(Locale.ROOT, "Agents documented empathy in %s of contacts", Figures.percent(
                    t.documentedShare())));
            if (Double.isFinite(t.csatMean())) {
                s.append(String.format(Locale.ROOT, "; the mean CSAT was %s out of 5 (%,d answers, %s in the top box "
                        + "of 4 or 5)", Figures.two(t.csatMean()), t.answers(), Figures.percent(t.topBox())));
            }
            if (Double.isFinite(t.repeat7d())) {
                s.append(String.format(Locale.ROOT, "; %s of contacts were followed by another from the same customer within 7 days", Figures.percent(
                        t.repeat7d())));
            }
            s.append(".\n");
        }
    }

    private static void cube(Result result, Quarter now, StringBuilder s) {
        List<Cell> cells = result.cells(now);
        long suppressed = cells.stream().filter(Cell::suppressed).count();
        long compared = cells.stream().filter(c -> !c.suppressed() && Double.isFinite(c.pValue())).count();
        List<Cell> below = cells.stream().filter(c -> c.flag().equals("below")).toList();
        List<Cell> above = cells.stream().filter(c -> c.flag().equals("above")).toList();
        s.append("\n## Regions, channels and teams\n\n");
        s.append(String.format(Locale.ROOT, "Of the %,d cells of %s (the whole organisation among them, which has "
                        + "no rest to be compared with), %,d were compared with the rest of the organisation and %,d "
                        + "were too small to compare (fewer than %d scored contacts). %s\n",
                cells.size(), now, compared, suppressed, result.options().minCell(),
                below.isEmpty() && above.isEmpty() ? "No cell stands out from the rest once the number of "
                        + "comparisons is allowed for."
                        : String.format(Locale.ROOT, "%d stand below the rest and %d above it.", below.size(),
                        above.size())));
        for (Finding f : result.findings()) {
            if (f.kind().equals("below") || f.kind().equals("above")) {
                s.append(String.format(Locale.ROOT, "- %s: %s points %s the rest (%s to %s, %,d scored contacts).\n",
                        cellName(f.region(), f.channel(), f.teamType()), one(Math.abs(f.estimate())),
                        f.kind().equals("below") ? "below" : "above", signed(f.ciLow()), signed(f.ciHigh()),
                        f.scored()));
            }
        }
    }

    private static void changes(Result result, StringBuilder s) {
        List<Finding> moves = result.findings().stream()
                .filter(f -> f.kind().equals("decline") || f.kind().equals("improvement")).toList();
        long compared = result.qoq().stream().filter(c -> !c.suppressed() && Double.isFinite(c.pValue())).count();
        s.append("\n## Changes from the previous quarter\n\n");
        if (moves.isEmpty()) {
            s.append(String.format(Locale.ROOT, "Of %,d cells large enough in both quarters, none changed by more "
                    + "than chance would explain.\n", compared));
            return;
        }
        s.append(String.format(Locale.ROOT, "Of %,d cells large enough in both quarters, these changed by more than "
                + "chance would explain:\n", compared));
        for (Finding f : moves) {
            s.append(String.format(Locale.ROOT, "- %s: %s points (%s to %s, %,d scored contacts this quarter).\n",
                    cellName(f.region(), f.channel(), f.teamType()), signed(f.estimate()), signed(f.ciLow()),
                    signed(f.ciHigh()), f.scored()));
        }
    }

    private static void sla(Result result, Quarter now, StringBuilder s) {
        Optional<Sla> all = result.sla().stream().filter(r -> r.quarter().equals(now.toString())
                && r.region().equals(Audit.ALL) && r.tier().equals(Audit.ALL)).findFirst();
        s.append("\n## Public replies\n\n");
        if (all.isEmpty()) {
            s.append(String.format(Locale.ROOT, "No contact of %s was marked public, so there is nothing to say about "
                    + "public replies.\n", now));
            return;
        }
        Sla a = all.get();
        if (a.measured() > 0) {
            s.append(String.format(Locale.ROOT, "Of %,d public posts with a known reach and response time, %s were "
                            + "answered within their target (%s to %s; targets %s).", a.measured(),
                    Figures.percent(a.compliance()), Figures.percent(a.ciLow()), Figures.percent(a.ciHigh()),
                    tiers(result)));
        } else {
            s.append("No public post had both a reach and a response time, so compliance could not be measured.");
        }
        if (a.unmeasured() > 0) {
            s.append(String.format(Locale.ROOT, " %,d more lacked the reach or the response time and are counted "
                    + "apart.", a.unmeasured()));
        }
        s.append('\n');
        if (a.complaintsFollowed() > 0) {
            s.append(String.format(Locale.ROOT, "Of %,d public complaints, %s were moved to a private channel (the "
                            + "customer's next contact within %d hours was not public; %s to %s).%s\n",
                    a.complaintsFollowed(), Figures.percent(a.movedShare()), result.options().privateHours(),
                    Figures.percent(a.movedLow()), Figures.percent(a.movedHigh()), a.complaintsCensored() > 0
                            ? String.format(Locale.ROOT, " %,d more were too close to the end of the data to tell.",
                            a.complaintsCensored()) : ""));
        } else if (a.publicComplaints() > 0) {
            s.append("Every public complaint was too close to the end of the data to tell whether it moved to a "
                    + "private channel.\n");
        }
    }

    private static void optOut(Result result, Quarter now, StringBuilder s) {
        s.append("\n## Customers who asked for emotion-free service\n\n");
        List<OptOutRow> rows = result.optOut().stream().filter(o -> o.quarter().equals(now.toString())).toList();
        Optional<OptOutRow> opted = rows.stream().filter(o -> o.measure().equals(OptOut.DOCUMENTED)
                && o.group().equals(OptOut.OPTED_OUT)).findFirst();
        if (opted.isEmpty() || opted.get().contacts() == 0) {
            s.append(String.format(Locale.ROOT, "No contact of %s came from a customer who opted out of emotional "
                    + "language.\n", now));
            return;
        }
        for (String measure : List.of(OptOut.DOCUMENTED, OptOut.PHRASE)) {
            Optional<OptOutRow> a = find(rows, measure, OptOut.OPTED_OUT);
            Optional<OptOutRow> b = find(rows, measure, OptOut.OTHERS);
            Optional<OptOutRow> d = find(rows, measure, OptOut.DIFFERENCE);
            if (a.isEmpty() || b.isEmpty() || a.get().contacts() == 0 || b.get().contacts() == 0) {
                continue;
            }
            String what = measure.equals(OptOut.DOCUMENTED) ? "had documented empathy"
                    : "had an empathy phrase from the agent (transcribed contacts)";
            s.append(String.format(Locale.ROOT, "- %s of the opted-out customers' contacts %s (%s to %s, n = %,d), "
                            + "against %s for everyone else (n = %,d); difference %s percentage points (%s to %s). "
                            + "Lower is better here.\n", Figures.percent(a.get().share()), what,
                    Figures.percent(a.get().ciLow()), Figures.percent(a.get().ciHigh()), a.get().contacts(),
                    Figures.percent(b.get().share()), b.get().contacts(), points(d.get().share()),
                    points(d.get().ciLow()), points(d.get().ciHigh())));
        }
    }

    private static void performative(Result result, Quarter now, StringBuilder s) {
        s.append("\n## Performative empathy\n\n");
        if (result.performative().isEmpty()) {
            s.append(String.format(Locale.ROOT, "No transcribed conversation of %s could be read for empathy phrases "
                    + "and sentiment.\n", now));
            return;
        }
        s.append("Distinct-n is the share of an agent's empathy phrases that are not repeats (1 = never the same "
                + "phrase twice, near 0 = the same few lines every time); the stock-phrase share is how many of a "
                + "team's conversations with an empathy phrase use its single most common one. The gain is how much "
                + "further the customer's sentiment rose (on a -1 to 1 scale) when the agent documented empathy "
                + "than when not.\n\n");
        for (TeamPhrases t : result.performative()) {
            String team = t.teamType().equals(Audit.ALL) ? "All teams" : "Team " + t.teamType();
            s.append(String.format(Locale.ROOT, "- %s (%,d agents, %,d transcribed conversations): ", team, t.agents(),
                    t.conversations()));
            if (t.matches() > 0) {
                s.append(String.format(Locale.ROOT, "distinct-n %s over %,d phrases; the most common phrase is in %s "
                        + "of %,d conversations with a phrase", Figures.two(t.distinctN()), t.matches(),
                        Figures.percent(t.topPhraseShare()), t.withPhrase()));
            } else {
                s.append("no empathy phrase was found");
            }
            Audit.Gain g = t.shift();
            if (Double.isFinite(g.difference()) && Double.isFinite(g.ciLow())) {
                s.append(String.format(Locale.ROOT, "; gain in sentiment %s (%s to %s, %,d conversations)%s",
                        signed3(g.difference()), signed3(g.ciLow()), signed3(g.ciHigh()),
                        g.conversationsDocumented() + g.conversationsNot(), clear(g.ciLow(), g.ciHigh()) ? ""
                                : ", which the data cannot tell from none"));
            } else {
                s.append("; the sentiment gain could not be estimated (too few conversations on one side or too few "
                        + "agents)");
            }
            s.append(".\n");
        }
    }

    private static Optional<OptOutRow> find(List<OptOutRow> rows, String measure, String group) {
        return rows.stream().filter(o -> o.measure().equals(measure) && o.group().equals(group)).findFirst();
    }

    static String tiers(Result result) {
        List<String> parts = new ArrayList<>();
        for (SlaTiers.Tier t : result.options().slaTiers().tiers()) {
            parts.add(String.format(Locale.ROOT, "%s within %s minutes", t.label(), Figures.plain(t.minutes())));
        }
        return String.join(", ", parts);
    }

    static String cellName(String region, String channel, String team) {
        List<String> parts = new ArrayList<>();
        if (!region.equals(Audit.ALL)) {
            parts.add("region " + region);
        }
        if (!channel.equals(Audit.ALL)) {
            parts.add("channel " + channel);
        }
        if (!team.equals(Audit.ALL)) {
            parts.add(team.replace('_', '-') + " agents");
        }
        return parts.isEmpty() ? "The whole organisation" : capitalise(String.join(", ", parts));
    }

    private static String capitalise(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    static boolean clear(double low, double high) {
        return low > 0 || high < 0;
    }

    static String one(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f", v) : "not known";
    }

    /** One decimal with its sign; a value that rounds to zero is "0.0", never "-0.0". */
    static String signed(double v) {
        if (!Double.isFinite(v)) {
            return "not known";
        }
        String s = String.format(Locale.ROOT, "%+.1f", v);
        return s.equals("-0.0") || s.equals("+0.0") ? "0.0" : s;
    }

    private static String signed3(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%+.3f", v) : "not known";
    }

    private static String points(double share) {
        return Double.isFinite(share) ? String.format(Locale.ROOT, "%+.1f", 100 * share) : "not known";
    }
}
