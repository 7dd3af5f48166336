package dev.empathy.jobs.training;

import dev.empathy.jobs.run.Job;
import dev.empathy.jobs.run.JobContext;
import dev.empathy.jobs.run.JobDefinition;
import dev.empathy.jobs.run.JobOption;
import dev.empathy.jobs.run.OptionText;
import dev.empathy.jobs.run.Ordered;
import dev.empathy.jobs.run.Steps;
import dev.empathy.lib.did.CallawaySantAnna;
import dev.empathy.lib.did.StaggeredPanel;
import dev.empathy.lib.did.TwoWayFixedEffects;
import dev.empathy.reports.io.ReportFolder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code training}: whether empathy training changed what customers say and score, for agents
 * trained at different times ({@code agents.empathy_trained_at}). Per outcome ({@link Outcome}:
 * the customer's sentiment shift, hostile openings that end cooperative, CSAT, the QA empathy
 * score), contacts are summed by agent and ISO week in one Spark pass and collected; on the
 * driver, Callaway and Sant'Anna's (2021) group-time effects with not-yet-trained and
 * never-trained agents as controls ({@link CallawaySantAnna}), aggregated to one effect on the
 * trained and to an event study with a joint pre-trend test, beside the two-way fixed-effects
 * estimate ({@link TwoWayFixedEffects}), which can mislead under staggered adoption. Beside the
 * effects, the share of agents trained per team and week (what completion rates say). Writes
 * {@code att.csv}, {@code event_study.csv}, {@code pretrend.csv}, {@code group_time.csv},
 * {@code completion.csv}, {@code population.csv}, {@code event_study.png} and {@code summary.md}
 * (docs/jobs/training.md). No agent id leaves the driver.
 */
public final class Training implements Job<Training.Result> {

    /** The job as the registry knows it: name, help and options. */
    public static final JobDefinition DEFINITION = new JobDefinition("training", List.of(
            "Whether empathy training moved customers' words and scores, not completion rates, for agents trained "
                    + "at different times: att.csv (Callaway and Sant'Anna beside two-way fixed effects), "
                    + "event_study.csv, pretrend.csv, group_time.csv, completion.csv, event_study.png and summary.md.",
            "See docs/jobs/training.md."),
            List.of(new JobOption("window", "WEEKS", "8",
                            "The event study runs from this many weeks before training to this many after (1 to 52)."),
                    new JobOption("base-weeks", "WEEKS", "4",
                            "The base each agent's later weeks are compared with: the mean of this many weeks before the "
                                    + "training week (1 = the week before, Callaway and Sant'Anna's universal base "
                                    + "period; at most the window).")),
            values -> new Training(weeks("window", values.get("window")), weeks("base-weeks", values.get("base-weeks"))));

    /** The confidence level of every interval. */
    public static final double LEVEL = 0.95;

    /** The largest event-study window. */
    public static final int MAX_WINDOW = 52;

    private final int window;
    private final int baseWeeks;

    /**
     * {@code window}: event-study weeks on each side of training, 1 to {@value #MAX_WINDOW};
     * {@code baseWeeks}: the weeks before the training week whose mean is the base, 1 to the window.
     */
    public Training(int window, int baseWeeks) {
        if (window < 1 || window > MAX_WINDOW) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--window: weeks before and after training must be 1 to %d, got %d", MAX_WINDOW, window));
        }
        if (baseWeeks < 1 || baseWeeks > window) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--base-weeks: weeks before training must be 1 to the window (%d), got %d", window, baseWeeks));
        }
        this.window = window;
        this.baseWeeks = baseWeeks;
    }

    public Training() {
        this(8, 4);
    }

    private static int weeks(String option, String text) {
        List<Integer> n = OptionText.integers(option, text);
        if (n.size() != 1) {
            throw new IllegalArgumentException("--" + option + ": give one whole number of weeks, got '" + text + "'");
        }
        return n.get(0);
    }

    /**
     * One outcome's estimates: {@code absent} names the missing input table (then both fits are
     * null); otherwise the Callaway and Sant'Anna result, the two-way fixed-effects fit, and the
     * outcome's observations in agent-weeks of agents listed in {@code agents}.
     */
    public record OutcomeResult(Outcome outcome, String absent, CallawaySantAnna.Result callawaySantAnna,
                                TwoWayFixedEffects.Fit twfe, long observations) {
    }

    /**
     * Training completion in one ISO week for one team ({@code agents.team_type}, or {@code all}):
     * the agents who served customers that week and how many of them had been trained by then
     * (training week at or before it).
     */
    public record Completion(String team, int week, long agents, long trained) {
        public double share() {
            return agents == 0 ? Double.NaN : (double) trained / agents;
        }
    }

    /**
     * Everything the job computed: the window, the population, the weeks of the data (as
     * {@link IsoWeeks} indices), one result per {@link Outcome} in order, and completion by team
     * and week. No agent id.
     */
    public record Result(int window, int baseWeeks, Steps steps, int firstWeek, int lastWeek,
                         List<OutcomeResult> outcomes,
                         List<Completion> completion) {
        public Result {
            outcomes = List.copyOf(outcomes);
            completion = List.copyOf(completion);
        }

        public Optional<OutcomeResult> outcome(Outcome o) {
            return outcomes.stream().filter(r -> r.outcome() == o).findFirst();
        }
    }

    @Override
    public String name() {
        return "training";
    }

    @Override
    public Set<String> needs() {
        return Set.of("interactions", "agents");
    }

    @Override
    public Map<String, Object> options() {
        return Ordered.map("window", window, "base_weeks", baseWeeks);
    }

    @Override
    public void write(Result result, ReportFolder folder) {
        TrainingReport.write(result, folder);
    }

    @Override
    public Map<String, Object> details(Result result) {
        Map<String, Object> weeks = result.steps().get("weeks") == 0 ? Ordered.map()
                : Ordered.map("first", IsoWeeks.label(result.firstWeek()), "last", IsoWeeks.label(result.lastWeek()));
        return Ordered.map("population", result.steps().counts(), "weeks", weeks);
    }

    @Override
    public Result compute(JobContext context) {
        long began = System.nanoTime();
        List<TrainingCells.Cell> cells = TrainingCells.collect(context);
        long contacts = 0;
        long unknown = 0;
        int first = Integer.MAX_VALUE;
        int last = Integer.MIN_VALUE;
        Map<String, Integer> trainedWeek = new TreeMap<>();
        Set<String> agents = new TreeSet<>();
        Set<String> untrained = new TreeSet<>();
        long[] observations = new long[Outcome.values().length];
        for (TrainingCells.Cell c : cells) {
            contacts += c.contacts();
            if (!c.known()) {
                unknown += c.contacts();
                continue;
            }
            agents.add(c.agent());
            first = Math.min(first, c.week());
            last = Math.max(last, c.week());
            if (c.trainingWeek() != null) {
                trainedWeek.put(c.agent(), c.trainingWeek());
            } else {
                untrained.add(c.agent());
            }
            for (Outcome o : Outcome.values()) {
                observations[o.ordinal()] += c.counts()[o.ordinal()];
            }
        }
        int firstWeek = first;
        int lastWeek = last;
        long before = trainedWeek.values().stream().filter(w -> w <= firstWeek).count();
        long during = trainedWeek.values().stream().filter(w -> w > firstWeek && w <= lastWeek).count();
        Map<String, Long> steps = new LinkedHashMap<>();
        steps.put("contacts", contacts);
        steps.put("contacts_without_an_agents_row", unknown);
        steps.put("contacts_analysed", contacts - unknown);
        steps.put("agents_with_contacts", (long) agents.size());
        steps.put("agents_trained_by_the_first_week", before);
        steps.put("agents_trained_during_the_data", during);
        steps.put("agents_not_trained_during_the_data", agents.size() - before - during);
        steps.put("weeks", agents.isEmpty() ? 0L : (long) lastWeek - firstWeek + 1);
        steps.put("conversations_with_a_shift", observations[Outcome.SENTIMENT_SHIFT.ordinal()]);
        steps.put("conversations_opening_hostile", observations[Outcome.HOSTILE_TO_COOPERATIVE.ordinal()]);
        steps.put("csat_answers", observations[Outcome.CSAT.ordinal()]);
        steps.put("scored_contacts", observations[Outcome.EMPATHY_SCORE.ordinal()]);
        context.progress().stage(name(), String.format(Locale.ROOT, "%,d agent-weeks of %,d agents (%,d trained "
                + "during the data) from %,d contacts", cells.size(), agents.size(), during, contacts), began);

        List<OutcomeResult> outcomes = new ArrayList<>();
        for (Outcome o : Outcome.values()) {
            if (context.input().table(o.table()).isEmpty()) {
                outcomes.add(new OutcomeResult(o, "no " + o.table() + " table", null, null, 0));
                continue;
            }
            outcomes.add(estimate(o, cells, observations[o.ordinal()]));
            context.progress().stage(name(), o.label() + ": Callaway and Sant'Anna and two-way fixed effects", began);
        }
        return new Result(window, baseWeeks, new Steps("count", steps), agents.isEmpty() ? 0 : firstWeek,
                agents.isEmpty() ? 0 : lastWeek, outcomes, completion(cells));
    }

    private OutcomeResult estimate(Outcome o, List<TrainingCells.Cell> cells, long observations) {
        int k = o.ordinal();
        StaggeredPanel.Builder panel = StaggeredPanel.builder();
        List<TwoWayFixedEffects.Cell> twfe = new ArrayList<>();
        for (TrainingCells.Cell c : cells) {
            long n = c.counts()[k];
            if (!c.known() || n == 0) {
                continue;
            }
            panel.cell(c.agent(), c.week(), n, c.sums()[k]);
            Integer trained = c.trainingWeek();
            if (trained != null) {
                panel.treatedFrom(c.agent(), trained);
            }
            twfe.add(new TwoWayFixedEffects.Cell(c.agent(), c.week(), n, c.sums()[k],
                    trained != null && c.week() >= trained));
        }
        CallawaySantAnna.Result cs = CallawaySantAnna.estimate(panel.build(),
                new CallawaySantAnna.Options(window, LEVEL, baseWeeks));
        return new OutcomeResult(o, null, cs, TwoWayFixedEffects.fit(twfe, LEVEL), observations);
    }

    /** Agents who served customers in a week, and of them those trained by then, per team and for all. */
    static List<Completion> completion(List<TrainingCells.Cell> cells) {
        Map<String, TreeMap<Integer, long[]>> byTeam = new TreeMap<>();
        for (TrainingCells.Cell c : cells) {
            if (!c.known() || c.contacts() == 0) {
                continue;
            }
            boolean trained = c.trainingWeek() != null && c.trainingWeek() <= c.week();
            for (String team : List.of("all", c.team())) {
                long[] n = byTeam.computeIfAbsent(team, t -> new TreeMap<>()).computeIfAbsent(c.week(), w -> new long[2]);
                n[0]++;
                n[1] += trained ? 1 : 0;
            }
        }
        List<Completion> out = new ArrayList<>();
        List<String> teams = new ArrayList<>(byTeam.keySet());
        // "all" first, then the teams in their order.
        if (teams.remove("all")) {
            teams.add(0, "all");
        }
        for (String team : teams) {
            byTeam.get(team).forEach((week, n) -> out.add(new Completion(team, week, n[0], n[1])));
        }
        return out;
    }
}
