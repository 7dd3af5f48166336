package dev.empathy.jobs.verbatims;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.empathy.jobs.text.TurnCoding;
import dev.empathy.jobs.fit.ModelData;
import dev.empathy.jobs.fit.SparkLogit;
import dev.empathy.jobs.repeat.RepeatContacts;
import dev.empathy.jobs.run.Job;
import dev.empathy.jobs.run.JobContext;
import dev.empathy.jobs.run.JobDefinition;
import dev.empathy.jobs.run.JobOption;
import dev.empathy.jobs.run.OptionText;
import dev.empathy.jobs.run.Ordered;
import dev.empathy.jobs.run.Steps;
import dev.empathy.jobs.spark.Cached;
import dev.empathy.jobs.spark.LabelExtremes;
import dev.empathy.jobs.spark.Levels;
import dev.empathy.jobs.text.Languages;
import dev.empathy.lib.formula.Formula;
import dev.empathy.lib.regression.CovarianceType;
import dev.empathy.lib.regression.Estimate;
import dev.empathy.lib.regression.LogitFit;
import dev.empathy.lib.regression.OlsOptions;
import dev.empathy.lib.regression.UnfittableException;
import dev.empathy.lib.stats.Proportions;
import dev.empathy.lib.text.Codebooks;
import dev.empathy.lib.text.PiiCounts;
import dev.empathy.lib.text.Redactor;
import dev.empathy.lib.text.VerbatimCode;
import dev.empathy.lib.text.VerbatimCoder;
import dev.empathy.reports.io.ReportFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * {@code verbatims}: how the customer's tone moves from the first to the last turn that says
 * something, and whether hostile openings end cooperative more often when the agent documented
 * empathy. Every customer turn is coded hostile, neutral, cooperative or unclear with its
 * language's codebook ({@link VerbatimCoder}; the shipped codebooks, or a team's folder over them);
 * a conversation's ends are its first and last customer turns that are not unclear
 * ({@link dev.empathy.lib.text.ConversationEnds}). Writes {@code population.csv},
 * {@code transitions.csv}, {@code shift_rates.csv} (Wilson intervals, Newcombe difference),
 * {@code adjusted.csv} (a logit clustered by agent), {@code examples.csv} (redacted turns),
 * {@code transitions.png} and {@code summary.md} (see docs/jobs/verbatims.md). Personal data in
 * the turns is replaced before any text is written, and counted for the manifest.
 */
public final class Verbatims implements Job<Verbatims.Result> {

    /** The job as the registry knows it: name, help and options. */
    public static final JobDefinition DEFINITION = new JobDefinition("verbatims", List.of(
            "Customer turns coded hostile, neutral, cooperative or unclear with editable codebooks: "
                    + "transitions.csv, shift_rates.csv (hostile openings that end cooperative), adjusted.csv, "
                    + "examples.csv (redacted), transitions.png and summary.md.",
            "See docs/jobs/verbatims.md and docs/codebooks.md."),
            List.of(new JobOption("codebook", "DIR", "",
                            "A local folder of <language>.csv codebooks that replace the shipped ones language by "
                                    + "language; empty for the shipped codebooks."),
                    new JobOption("examples", "N", "3",
                            "Redacted example turns per language and code in examples.csv, 0 to " + Verbatims.MAX_EXAMPLES
                                    + ".")),
            values -> new Verbatims(values.get("codebook"), examples(values.get("examples"))));

    /** Most examples per language and code. */
    public static final int MAX_EXAMPLES = 50;

    /** The tones of a conversation's ends, in the order of every table and chart. */
    public static final List<String> TONES = List.of(VerbatimCode.HOSTILE.label(), VerbatimCode.NEUTRAL.label(),
            VerbatimCode.COOPERATIVE.label());

    /** The language of a conversation whose interaction has none. */
    static final String UNKNOWN = "unknown";

    /** The controls of the adjusted model. */
    static final String FORMULA = "became_cooperative ~ empathy_documented + C(channel) + C(contact_reason) "
            + "+ C(language)";

    private static final String HOSTILE = VerbatimCode.HOSTILE.label();
    private static final String COOPERATIVE = VerbatimCode.COOPERATIVE.label();

    private final String codebook;
    private final int examples;
    private final Codebooks codebooks;

    /**
     * {@code codebook}: a folder of codebooks over the shipped ones, or empty (or null) for the
     * shipped ones alone; {@code examples}: examples per language and code, 0 to
     * {@value #MAX_EXAMPLES}. A folder that cannot be read or holds a bad codebook is an
     * {@link IllegalArgumentException} naming the option, and the file and line at fault.
     */
    public Verbatims(String codebook, int examples) {
        if (examples < 0 || examples > MAX_EXAMPLES) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--examples: examples per language and code must be 0 to %d, got %d", MAX_EXAMPLES, examples));
        }
        this.codebook = codebook == null ? "" : codebook.strip();
        this.examples = examples;
        Codebooks shipped = Codebooks.defaults();
        if (this.codebook.isEmpty()) {
            this.codebooks = shipped;
        } else {
            try {
                this.codebooks = shipped.overriddenBy(Codebooks.load(Path.of(this.codebook)));
            } catch (IOException e) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "--codebook: cannot read %s: %s",
                        this.codebook, e.getMessage()), e);
            } catch (IllegalArgumentException e) {
                // A CodebookException names the file, the line and the rule.
                throw new IllegalArgumentException("--codebook: " + e.getMessage(), e);
            }
        }
    }

    public Verbatims() {
        this("", 3);
    }

    private static int examples(String text) {
        List<Integer> n = OptionText.integers("examples", text);
        if (n.size() != 1) {
            throw new IllegalArgumentException("--examples: give one whole number, got '" + text + "'");
        }
        return n.get(0);
    }

    /** Customer turns of one language with one code. */
    public record TurnCount(String language, String code, long turns) {
    }

    /**
     * Conversations whose first clear customer turn had tone {@code first} and whose last had
     * {@code last}, for documented {@code yes} or {@code no}; {@code rowShare} is their share of
     * the conversations with that documented value and first tone (NaN when there are none).
     */
    public record Transition(String documented, String first, String last, long conversations, double rowShare) {
    }

    /**
     * Of the {@code hostileFirst} conversations of a level that opened hostile, the
     * {@code becameCooperative} that ended cooperative, with the Wilson interval; for level
     * {@code difference}, documented minus not with Newcombe's interval and the counts of both.
     */
    public record ShiftRate(String grouping, String level, long hostileFirst, long becameCooperative,
                            Proportions.Interval rate) {
    }

    /** One term of the adjusted logit with the model's n and agents, and a note when in doubt. */
    public record Adjusted(String model, Estimate term, long n, long clusters, String note) {
    }

    /** A redacted customer turn that shows what a code looks like in a language. */
    public record Example(String language, String code, String text) {
    }

    /** Everything the job computed: counts, rates and redacted examples; no ids, no raw text. */
    public record Result(String codebook, List<String> languages, int examplesPerCode, Steps steps,
                         List<TurnCount> turnCounts, List<Transition> transitions, List<ShiftRate> shiftRates,
                         List<Adjusted> adjusted, List<Example> examples, PiiCounts pii) {
        public Result {
            languages = List.copyOf(languages);
            turnCounts = List.copyOf(turnCounts);
            transitions = List.copyOf(transitions);
            shiftRates = List.copyOf(shiftRates);
            adjusted = List.copyOf(adjusted);
            examples = List.copyOf(examples);
        }

        /** The shift-rate row of a grouping and level. */
        public java.util.Optional<ShiftRate> rate(String grouping, String level) {
            return shiftRates.stream().filter(r -> r.grouping().equals(grouping) && r.level().equals(level))
                    .findFirst();
        }

        /** Customer turns with a code, over every language. */
        public long turns(String code) {
            return turnCounts.stream().filter(t -> t.code().equals(code)).mapToLong(TurnCount::turns).sum();
        }
    }

    @Override
    public String name() {
        return "verbatims";
    }

    @Override
    public Set<String> needs() {
        return Set.of("turns");
    }

    @Override
    public Map<String, Object> options() {
        return Ordered.map("codebook", codebook.isEmpty() ? "shipped" : codebook,
                "languages", List.copyOf(codebooks.languages()), "examples", examples);
    }

    @Override
    public void write(Result result, ReportFolder folder) {
        VerbatimsReport.write(result, folder);
    }

    @Override
    public Map<String, Object> details(Result result) {
        Map<String, Map<String, Long>> byLanguage = new TreeMap<>();
        for (TurnCount t : result.turnCounts()) {
            byLanguage.computeIfAbsent(t.language(), k -> new TreeMap<>()).put(t.code(), t.turns());
        }
        PiiCounts pii = result.pii();
        return Ordered.map("population", result.steps().counts(), "customer_turns_by_language_and_code", byLanguage,
                "pii_redacted", Ordered.map("email", pii.emails(), "phone", pii.phones(), "card", pii.cards(),
                        "iban", pii.ibans()));
    }

    @Override
    public Result compute(JobContext context) {
        long began = System.nanoTime();
        Dataset<Row> interactions = context.input().table("interactions").orElseThrow().used();
        Dataset<Row> turns = context.input().table("turns").orElseThrow().used();
        PiiCounts pii = TurnCoding.piiCounts(turns);
        context.progress().stage(name(), String.format(Locale.ROOT, "personal data replaced in the turns read: "
                + "%,d e-mail, %,d phone, %,d card, %,d IBAN", pii.emails(), pii.phones(), pii.cards(),
                pii.ibans()), began);
        // With the shipped codebooks, the turns the run coded once (shared with the conversation facts).
        Broadcast<HashMap<String, VerbatimCoder>> coders = codebook.isEmpty() ? null
                : TurnCoding.broadcast(context.spark(), codebooks);
        try (Cached cached = new Cached()) {
            Dataset<Row> coded = cached.keep(coders == null ? TurnCoding.shipped(context)
                    : TurnCoding.code(turns, interactions, coders));
            List<TurnCount> turnCounts = new ArrayList<>();
            for (Row r : coded.groupBy(coalesce(col("language"), lit(UNKNOWN)).as("language"), col("code")).count()
                    .orderBy(col("language"), col("code")).collectAsList()) {
                turnCounts.add(new TurnCount(r.getString(0), r.getString(1), r.getLong(2)));
            }
            context.progress().stage(name(), String.format(Locale.ROOT, "%,d customer turns coded",
                    turnCounts.stream().mapToLong(TurnCount::turns).sum()), began);

            Dataset<Row> conversations = cached.keep(conversations(coded).join(context(interactions),
                    "interaction_id"));
            Map<String, Long> steps = new LinkedHashMap<>();
            steps.put("interactions", interactions.count());
            Row sizes = conversations.agg(count(lit(1)),
                    sum(when(col("uncoded").lt(col("customer_turns")), 1L).otherwise(0L)),
                    count(col("first_code")), sum(when(col("first_code").equalTo(HOSTILE), 1L).otherwise(0L)))
                    .first();
            steps.put("with_customer_turns", sizes.getLong(0));
            steps.put("in_a_coded_language", sizes.isNullAt(1) ? 0 : sizes.getLong(1));
            steps.put("with_a_clear_customer_turn", sizes.getLong(2));
            steps.put("hostile_first", sizes.isNullAt(3) ? 0 : sizes.getLong(3));
            context.progress().stage(name(), String.format(Locale.ROOT, "%,d conversations with a clear customer "
                    + "turn, %,d opening hostile", steps.get("with_a_clear_customer_turn"),
                    steps.get("hostile_first")), began);

            List<Transition> transitions = transitions(conversations);
            Dataset<Row> hostile = conversations.filter(col("first_code").equalTo(HOSTILE))
                    .withColumn("became_cooperative", when(col("last_code").equalTo(COOPERATIVE), 1).otherwise(0));
            List<ShiftRate> rates = shiftRates(hostile);
            List<Adjusted> adjusted = adjusted(hostile);
            context.progress().stage(name(), "transitions, shift rates and the adjusted logit", began);
            List<Example> examples = examples(coded, turns);
            context.progress().stage(name(), String.format(Locale.ROOT, "%,d redacted examples", examples.size()),
                    began);
            return new Result(codebook, List.copyOf(codebooks.languages()), this.examples,
                    new Steps("conversations", steps), turnCounts, transitions, rates, adjusted, examples, pii);
        } finally {
            if (coders != null) {
                coders.destroy();
            }
        }
    }

    /**
     * Per conversation with customer turns: how many, how many uncoded, and the codes of the
     * first and last clear turns by {@code turn_index} (min_by and max_by skip the turns whose
     * ordering is null, here the unclear and uncoded ones; one clear turn is both ends, none
     * leaves both null).
     */
    static Dataset<Row> conversations(Dataset<Row> coded) {
        Column clear = col("code").isin(TONES.toArray());
        Column order = when(clear, col("turn_index"));
        return coded.groupBy(col("interaction_id")).agg(count(lit(1)).as("customer_turns"),
                sum(when(col("code").equalTo(TurnCoding.UNCODED_LANGUAGE), 1L).otherwise(0L)).as("uncoded"),
                // By the tone's position: a text buffer would make Spark sort every turn (LabelExtremes).
                LabelExtremes.minBy(col("code"), TONES, order).as("first_code"),
                LabelExtremes.maxBy(col("code"), TONES, order).as("last_code"));
    }

    /** What a conversation's interaction says about it, for the groupings and the adjusted model. */
    private static Dataset<Row> context(Dataset<Row> interactions) {
        return interactions.select(col("interaction_id"), col("agent_id"),
                when(col("empathy_documented"), "yes").otherwise("no").as("documented"),
                RepeatContacts.band(col("empathy_score")).as("empathy_band"),
                when(col("empathy_documented"), 1).otherwise(0).as("empathy_documented"), col("channel"),
                coalesce(col("contact_reason"), lit(UNKNOWN)).as("contact_reason"),
                coalesce(Languages.primary(col("language")), lit(UNKNOWN)).as("language"));
    }

    /** Every documented value × first tone × last tone, zeros included, with the row shares. */
    private static List<Transition> transitions(Dataset<Row> conversations) {
        Map<String, Long> counts = new HashMap<>();
        for (Row r : conversations.filter(col("first_code").isNotNull())
                .groupBy(col("documented"), col("first_code"), col("last_code")).count().collectAsList()) {
            counts.put(r.getString(0) + "|" + r.getString(1) + "|" + r.getString(2), r.getLong(3));
        }
        List<Transition> rows = new ArrayList<>();
        for (String documented : List.of("yes", "no")) {
            for (String first : TONES) {
                long total = 0;
                for (String last : TONES) {
                    total += counts.getOrDefault(documented + "|" + first + "|" + last, 0L);
                }
                for (String last : TONES) {
                    long n = counts.getOrDefault(documented + "|" + first + "|" + last, 0L);
                    rows.add(new Transition(documented, first, last, n, total == 0 ? Double.NaN : (double) n / total));
                }
            }
        }
        return rows;
    }

    /**
     * Hostile openings that ended cooperative: by documented ({@code yes}, {@code no}, and the
     * Newcombe {@code difference}), then by empathy band (every band of repeat-contacts, empty
     * ones included, so the file keeps its shape); one aggregation.
     */
    private static List<ShiftRate> shiftRates(Dataset<Row> hostile) {
        Map<String, long[]> documented = new HashMap<>();
        Map<String, long[]> bands = new HashMap<>();
        for (Row r : hostile.groupBy(col("documented"), col("empathy_band"))
                .agg(count(lit(1)), sum(col("became_cooperative"))).collectAsList()) {
            long n = r.getLong(2);
            long x = r.isNullAt(3) ? 0 : r.getLong(3);
            long[] d = documented.computeIfAbsent(r.getString(0), k -> new long[2]);
            d[0] += x;
            d[1] += n;
            long[] b = bands.computeIfAbsent(r.getString(1), k -> new long[2]);
            b[0] += x;
            b[1] += n;
        }
        List<ShiftRate> rows = new ArrayList<>();
        long[] yes = documented.getOrDefault("yes", new long[2]);
        long[] no = documented.getOrDefault("no", new long[2]);
        rows.add(rate("documented", "yes", yes));
        rows.add(rate("documented", "no", no));
        rows.add(new ShiftRate("documented", "difference", yes[1] + no[1], yes[0] + no[0],
                Proportions.difference(yes[0], yes[1], no[0], no[1], 0.95)));
        for (String band : RepeatContacts.BANDS) {
            rows.add(rate("empathy_band", band, bands.getOrDefault(band, new long[2])));
        }
        return rows;
    }

    private static ShiftRate rate(String grouping, String level, long[] counts) {
        return new ShiftRate(grouping, level, counts[1], counts[0], Proportions.wilson(counts[0], counts[1], 0.95));
    }

    /**
     * The logit of ending cooperative on documented empathy with channel, contact reason and
     * language, among hostile openings, standard errors clustered by agent; as repeat-contacts'
     * models, a model that cannot be fitted or whose estimates are not to be used is a noted row.
     */
    private static List<Adjusted> adjusted(Dataset<Row> hostile) {
        Levels.Lumped reasons = Levels.of(hostile.select(col("contact_reason")), "contact_reason");
        Dataset<Row> rows = hostile.withColumn("contact_reason", reasons.apply(col("contact_reason")));
        LogitFit fit;
        try {
            fit = SparkLogit.fit(ModelData.bind(rows, Formula.parse(FORMULA), "agent_id"),
                    OlsOptions.defaults().with(CovarianceType.CLUSTER)).fit();
        } catch (UnfittableException e) {
            return List.of(new Adjusted("documented", Estimate.notEstimated("empathy_documented"), 0, 0,
                    "not fitted: " + e.getMessage()));
        }
        String note = fit.notes().isEmpty() ? null : (fit.usable() ? "" : "not usable: ") + fit.noteText();
        List<Adjusted> out = new ArrayList<>();
        for (Estimate e : fit.estimates()) {
            out.add(new Adjusted("documented", fit.usable() ? e : Estimate.notEstimated(e.term()), fit.n(),
                    fit.clusters(), note));
        }
        return out;
    }

    /**
     * Up to {@code examples} turns per language and code, redacted: the turns with the smallest
     * {@code pick} (a hash of interaction id and turn index, so the choice is the same on every
     * run and shows neither), skipping blank turns and repeats of a text already chosen. Only
     * the candidates' text reaches the driver, where it is redacted before anything else.
     */
    private List<Example> examples(Dataset<Row> coded, Dataset<Row> turns) {
        if (examples == 0) {
            return List.of();
        }
        // Some candidates to spare, for texts repeated word for word (the generator's banks).
        int candidates = 4 * examples;
        Dataset<Row> picked = coded.filter(col("code").notEqual(TurnCoding.UNCODED_LANGUAGE)
                        .and(col("blank").equalTo(false)))
                .withColumn("rank", row_number().over(Window.partitionBy(col("language"), col("code"))
                        .orderBy(col("pick"), col("interaction_id"), col("turn_index"))))
                .filter(col("rank").leq(candidates))
                .select(col("interaction_id"), col("turn_index"), col("language"), col("code"), col("pick"));
        Dataset<Row> texts = turns.filter(col("speaker").equalTo("customer"))
                .select(col("interaction_id"), col("turn_index"), col("text"));
        List<Example> out = new ArrayList<>();
        Map<String, Set<String>> seen = new HashMap<>();
        for (Row r : picked.join(texts, new String[] {"interaction_id", "turn_index"})
                .select(col("language"), col("code"), col("pick"), col("text"))
                .orderBy(col("language"), col("code"), col("pick"), col("text")).collectAsList()) {
            String text = Redactor.redact(r.getString(3)).text();
            Set<String> chosen = seen.computeIfAbsent(r.getString(0) + "|" + r.getString(1), k -> new HashSet<>());
            if (chosen.size() < examples && chosen.add(text)) {
                out.add(new Example(r.getString(0), r.getString(1), text));
            }
        }
        return out;
    }
}
