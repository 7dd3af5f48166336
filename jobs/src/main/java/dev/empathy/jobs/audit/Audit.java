package dev.empathy.jobs.audit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.unix_micros;

import dev.empathy.jobs.run.Job;
import dev.empathy.jobs.run.JobContext;
import dev.empathy.jobs.run.JobDefinition;
import dev.empathy.jobs.run.JobOption;
import dev.empathy.jobs.run.OptionText;
import dev.empathy.jobs.run.Ordered;
import dev.empathy.jobs.run.Steps;
import dev.empathy.jobs.spark.Cached;
import dev.empathy.jobs.text.ConversationFacts;
import dev.empathy.lib.text.Codebooks;
import dev.empathy.reports.io.ReportFolder;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code audit}: the quarterly empathy audit that CX executives read. For the audited quarter and
 * the one before: the region x channel x team-type cube of the QA empathy score with every margin
 * ({@code cube.csv}: means with agent-clustered intervals, each cell against the rest of the
 * organisation with cluster-robust p-values and Benjamini-Hochberg q-values, small cells
 * suppressed), each cell's change from the previous quarter ({@code qoq.csv}), public replies
 * against first-response targets by audience reach and public complaints moved to a private
 * channel ({@code sla.csv}), the empathy shown to customers who opted out of emotional language
 * ({@code opt_out.csv}), and how repetitive each team's empathy phrases are and whether
 * documented empathy goes with a gain in the customer's sentiment ({@code performative.csv}, and
 * per agent the operations file {@code performative_agents.csv}); {@code population.csv},
 * {@code summary.md}, and the executives' report {@code report.html} and {@code report.pdf}
 * ({@link AuditDocument}), dated by the run date. Computed from the validated tables and the
 * shared text layer; it reads no other job's result. See docs/jobs/audit.md.
 */
public final class Audit implements Job<Audit.Result> {

    /** The job as the registry knows it: name, help and options. */
    public static final JobDefinition DEFINITION = new JobDefinition("audit", List.of(
            "The quarterly empathy audit: the region x channel x team-type cube of the QA empathy score against "
                    + "the rest of the organisation (cube.csv), quarter-over-quarter changes (qoq.csv), public "
                    + "replies against first-response targets (sla.csv), opted-out customers (opt_out.csv), "
                    + "performative empathy by team (performative.csv, performative_agents.csv) and summary.md.",
            "See docs/jobs/audit.md."),
            List.of(new JobOption("quarter", "QUARTER", Options.LATEST,
                            "The quarter to audit, e.g. 2026Q3; 'latest' is the last complete quarter in the data "
                                    + "(the latest whose last day the data reach)."),
                    new JobOption("min-cell", "N", "30",
                            "Cells with fewer scored contacts show counts only and are left out of the multiple "
                                    + "comparisons, 2 or more."),
                    new JobOption("sla-tiers", "TIERS", SlaTiers.DEFAULT,
                            "First-response targets of public posts by audience reach, REACH:MINUTES,...,MINUTES: "
                                    + "the default means under 1,000 within 60 minutes, under 100,000 within 30, "
                                    + "else 15."),
                    new JobOption("private-hours", "HOURS", "24",
                            "A public complaint was moved to a private channel when the same customer's next "
                                    + "contact starts within this many hours and is not public, 1 to 720.")),
            values -> new Audit(Options.parse(values)));

    /** The label of a margin in the cube's dimensions. */
    public static final String ALL = "all";
    /** The confidence level of every interval. */
    public static final double LEVEL = 0.95;
    /** The false discovery rate at which a cell is flagged. */
    public static final double FDR = 0.05;
    /** The repeat window of {@code repeat_7d}, days (repeat-contacts' definition). */
    public static final int REPEAT_DAYS = 7;

    /**
     * The job's options.
     *
     * @param quarter      the audited quarter; empty for the last complete one
     * @param minCell      the fewest scored contacts of a cell that is compared
     * @param slaTiers     first-response targets by reach
     * @param privateHours the window, hours, for a complaint's next contact to count as moved to private
     */
    public record Options(Optional<Quarter> quarter, int minCell, SlaTiers slaTiers, int privateHours) {

        /** The option's value for the last complete quarter. */
        public static final String LATEST = "latest";

        public Options {
            if (minCell < 2) {
                throw new IllegalArgumentException("--min-cell: a compared cell needs at least 2 scored contacts, got "
                        + minCell);
            }
            if (privateHours < 1 || privateHours > 720) {
                throw new IllegalArgumentException("--private-hours: hours must be 1 to 720, got " + privateHours);
            }
        }

        public static Options defaults() {
            return new Options(Optional.empty(), 30, SlaTiers.parse("sla-tiers", SlaTiers.DEFAULT), 24);
        }

        static Options parse(Map<String, String> values) {
            String q = values.get("quarter").strip();
            return new Options(q.equalsIgnoreCase(LATEST) ? Optional.empty() : Optional.of(Quarter.parse("quarter", q)),
                    OptionText.integer("min-cell", values.get("min-cell")),
                    SlaTiers.parse("sla-tiers", values.get("sla-tiers")),
                    OptionText.integer("private-hours", values.get("private-hours")));
        }

        Map<String, Object> describe() {
            return Ordered.map("quarter", quarter.map(Quarter::toString).orElse(LATEST), "min_cell", minCell,
                    "sla_tiers", slaTiers.text(), "private_hours", privateHours, "level", LEVEL, "fdr", FDR);
        }
    }

    /**
     * One cell of {@code cube.csv}: a quarter and a region, channel and team type (each possibly
     * {@value #ALL}). Every figure is NaN (an empty cell) when the cell is {@code suppressed}, and
     * where it cannot be computed (no answers, no rest of the organisation, one agent).
     *
     * @param agents        agents with a scored contact in the cell
     * @param answers       contacts with a CSAT answer
     * @param repeatKnown   contacts whose 7-day window the data cover (repeat-contacts' censoring)
     * @param diffVsRest    the cell's mean minus the rest of the quarter's (scored contacts)
     * @param comparedAgents the clusters of the cell-versus-rest regression: agents with a scored
     *                      contact in the quarter
     */
    public record Cell(String quarter, String region, String channel, String teamType, long contacts, long scored,
                       long agents, double empathyMean, double ciLow, double ciHigh, double documentedShare,
                       long answers, double csatMean, double topBox, long repeatKnown, double repeat7d,
                       double diffVsRest, double diffLow, double diffHigh, double pValue, double qValue, String flag,
                       boolean suppressed, long comparedAgents) {

        /** True for the quarter's whole organisation (all, all, all). */
        public boolean isTotal() {
            return region.equals(ALL) && channel.equals(ALL) && teamType.equals(ALL);
        }
    }

    /**
     * One row of {@code qoq.csv}: a cell's mean QA empathy score in the audited quarter against the
     * previous one, the change with its interval (regression on the quarter, clustered by agent),
     * p- and Benjamini-Hochberg q-value (over the unsuppressed cells with a test).
     */
    public record Change(String region, String channel, String teamType, long scoredBefore, long scoredNow,
                         double meanBefore, double meanNow, double change, double ciLow, double ciHigh,
                         double pValue, double qValue, long agents, boolean suppressed) {
    }

    /**
     * One row of {@code sla.csv}: a quarter's public contacts of a region and reach tier (each also
     * {@value #ALL}; tier {@code unknown} when the reach is missing) against the first-response
     * target, and its public complaints moved to a private channel.
     *
     * @param unmeasured         public contacts lacking the reach or the response time (or both)
     * @param missingReach       of them, those without {@code audience_reach}
     * @param missingResponse    of them, those without {@code first_response_minutes}
     * @param complaintsCensored public complaints whose window reaches past the end of the data
     */
    public record Sla(String quarter, String region, String tier, double targetMinutes, long publicContacts,
                      long unmeasured, long missingReach, long missingResponse, long measured, long withinTarget,
                      double compliance, double ciLow, double ciHigh, long publicComplaints,
                      long complaintsCensored, long complaintsFollowed, long movedPrivate, double movedShare,
                      double movedLow, double movedHigh) {
    }

    /**
     * One row of {@code opt_out.csv}: for a quarter and measure ({@code documented_empathy} over
     * contacts, {@code empathy_phrase} over transcribed contacts), the group {@code opted_out},
     * {@code others} or {@code difference} (opted out minus others, Newcombe's interval).
     */
    public record OptOutRow(String quarter, String measure, String group, long contacts, long withEmpathy,
                            double share, double ciLow, double ciHigh) {
    }

    /**
     * One row of {@code performative.csv}: a team type (or {@value #ALL}) in the audited quarter.
     *
     * @param conversations        transcribed contacts with an agent turn in a language with a codebook
     * @param withPhrase           of them, those with an empathy phrase
     * @param matches              empathy-phrase matches in the agents' turns
     * @param distinctPerAgent     the sum over agents of the distinct phrases each used
     * @param distinctN            distinctPerAgent / matches
     * @param topPhrase            the team's most common phrase ({@code language:pattern}), by conversations
     * @param topPhraseConversations conversations using it
     * @param topPhraseShare       topPhraseConversations / withPhrase
     * @param shift                the customer's sentiment shift with documented empathy minus without,
     *                             clustered by agent (conversations with two or more scored customer turns)
     */
    public record TeamPhrases(String teamType, long agents, long conversations, long withPhrase, long matches,
                              long distinctPerAgent, double distinctN, String topPhrase, long topPhraseConversations,
                              double topPhraseShare, Gain shift) {
    }

    /**
     * The sentiment shift with and without documented empathy and the difference (with interval and
     * p-value; NaN where it cannot be estimated).
     */
    public record Gain(long conversationsDocumented, long conversationsNot, double shiftDocumented,
                       double shiftNot, double difference, double ciLow, double ciHigh, double pValue, long agents) {
    }

    /** One row of {@code performative_agents.csv} (an operations file: agent ids). */
    public record AgentPhrasing(String agentId, String teamType, long conversations, long withPhrase, long matches,
                                long distinct, double distinctN, String topPhrase, long topPhraseConversations,
                                double topPhraseShare, long conversationsDocumented, long conversationsNot,
                                double shiftDocumented, double shiftNot) {
    }

    /**
     * A candidate finding for the report, as data: {@code kind} {@code decline} or
     * {@code improvement} (a significant change from the previous quarter) or {@code below} or
     * {@code above} (a cell flagged against the rest of the organisation in the audited quarter),
     * the cell, the estimate (points) with its interval, its q-value and the scored contacts.
     */
    public record Finding(String kind, String region, String channel, String teamType, double estimate, double ciLow,
                          double ciHigh, double qValue, long scored) {
    }

    /**
     * Everything the job computed. {@code audited} and {@code previous} are empty when the data
     * hold no contact; {@code notes} says in words what could not be computed. {@code runDate} is
     * the run's date ({@link JobContext#runDate()}), the only date the report prints.
     */
    public record Result(Options options, LocalDate runDate, Steps steps, Optional<Quarter> audited, Optional<Quarter> previous,
                         Optional<Instant> latest, List<String> notes, List<Cell> cube, List<Change> qoq,
                         List<Sla> sla, List<OptOutRow> optOut, List<TeamPhrases> performative,
                         List<AgentPhrasing> agents, List<Finding> findings) {
        public Result {
            notes = List.copyOf(notes);
            cube = List.copyOf(cube);
            qoq = List.copyOf(qoq);
            sla = List.copyOf(sla);
            optOut = List.copyOf(optOut);
            performative = List.copyOf(performative);
            agents = List.copyOf(agents);
            findings = List.copyOf(findings);
        }

        /** The cells of one quarter, in file order. */
        public List<Cell> cells(Quarter quarter) {
            String q = quarter.toString();
            return cube.stream().filter(c -> c.quarter().equals(q)).toList();
        }
    }

    private final Options options;

    public Audit(Options options) {
        this.options = options;
    }

    public Audit() {
        this(Options.defaults());
    }

    @Override
    public String name() {
        return "audit";
    }

    @Override
    public Set<String> needs() {
        return Set.of("interactions");
    }

    @Override
    public Map<String, Object> options() {
        return options.describe();
    }

    @Override
    public void write(Result result, ReportFolder folder) {
        AuditReport.write(result, folder);
    }

    @Override
    public Map<String, Object> details(Result result) {
        return Ordered.map("audited_quarter", result.audited().map(Quarter::toString).orElse(""),
                "population", result.steps().counts(), "notes", result.notes());
    }

    @Override
    public Result compute(JobContext context) {
        long began = System.nanoTime();
        Dataset<Row> interactions = context.input().table("interactions").orElseThrow().used();
        Row span = interactions.agg(count(lit(1)), max(unix_micros(col("started_at")))).first();
        long total = span.getLong(0);
        Optional<Instant> latest = span.isNullAt(1) ? Optional.empty() : Optional.of(micros(span.getLong(1)));
        List<String> notes = new ArrayList<>();
        Map<String, Long> steps = new LinkedHashMap<>();
        steps.put("interactions", total);
        Optional<Quarter> audited = options.quarter();
        if (audited.isEmpty() && latest.isPresent()) {
            audited = Quarter.lastComplete(latest.get());
        }
        if (latest.isEmpty()) {
            notes.add("The data hold no contact, so there was nothing to audit.");
        } else if (audited.isEmpty()) {
            notes.add("No quarter of the data is complete, so there is no quarter to audit.");
        } else if (latest.get().atZone(ZoneOffset.UTC).toLocalDate().isBefore(audited.get().lastDay())) {
            notes.add(String.format(Locale.ROOT, "Quarter %s is not complete in the data: the latest contact is on "
                    + "%s, before the quarter's last day.", audited.get(), latest.get().atZone(ZoneOffset.UTC)
                    .toLocalDate()));
        }
        if (audited.isEmpty()) {
            return new Result(options, context.runDate(), new Steps("contacts", steps), audited, Optional.empty(),
                    latest, notes, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
        }
        Quarter now = audited.get();
        Quarter before = now.previous();
        try (Cached cached = new Cached()) {
            Dataset<Row> contacts = cached.keep(AuditContacts.of(context.input(), now, latest.get(), options));
            Map<String, Long> counts = AuditContacts.counts(contacts, now, before);
            steps.putAll(counts);
            context.progress().stage(name(), String.format(Locale.ROOT, "%,d contacts in %s, %,d in %s",
                    counts.get(AuditContacts.AUDITED_CONTACTS), now, counts.get(AuditContacts.PREVIOUS_CONTACTS),
                    before), began);
            if (counts.get(AuditContacts.AUDITED_CONTACTS) == 0) {
                notes.add(String.format(Locale.ROOT, "Quarter %s holds no contact.", now));
            }

            AuditCube.Cube cube = AuditCube.compute(contacts, now, before, options.minCell());
            context.progress().stage(name(), String.format(Locale.ROOT, "cube: %,d cells, %,d flagged",
                    cube.cells().size(), cube.cells().stream().filter(c -> !c.flag().isEmpty()).count()), began);

            List<Sla> sla = PublicReplies.compute(contacts, now, before, options.slaTiers());
            context.progress().stage(name(), String.format(Locale.ROOT, "public replies: %,d rows", sla.size()),
                    began);

            Optional<Dataset<Row>> turns = context.input().table("turns").map(t -> t.used());
            Optional<Dataset<Row>> perTurn = turns.map(t -> cached.keep(
                    PhraseUse.perTurn(context.spark(), t, contacts, Codebooks.defaults())));
            Optional<Dataset<Row>> customers = context.input().table("customers").map(t -> t.used());
            List<OptOutRow> optOut = OptOut.compute(contacts, customers, perTurn.map(PhraseUse::perConversation),
                    now, before, notes);
            context.progress().stage(name(), "opt-out", began);

            PhraseUse.Teams teams = turns.isPresent()
                    ? PhraseUse.teams(ConversationFacts.of(context), contacts, perTurn.get(), now)
                    : PhraseUse.Teams.none();
            if (turns.isEmpty()) {
                notes.add("The turns table is absent, so empathy phrases and sentiment could not be read: opt_out.csv "
                        + "has no phrase rows and performative.csv is empty.");
            }
            context.progress().stage(name(), String.format(Locale.ROOT, "performative: %,d teams, %,d agents",
                    teams.teams().size(), teams.agents().size()), began);
            return new Result(options, context.runDate(), new Steps("contacts", steps), audited,
                    Optional.of(before), latest, notes,
                    cube.cells(), cube.changes(), sla, optOut, teams.teams(), teams.agents(),
                    Findings.of(cube, now));
        }
    }

    static Instant micros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }
}
