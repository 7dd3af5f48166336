package dev.empathy.sample;

import static dev.empathy.sample.PlantedModel.PERIOD_DAYS;
import static dev.empathy.sample.PlantedModel.PERIOD_HOURS;
import static dev.empathy.sample.PlantedModel.PERIOD_START;

import dev.empathy.lib.contract.Contract;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Agents, their shifts and their wellbeing pulse, drawn first: customer contacts are then routed
 * to the shifts on duty. Held as arrays (a few hundred bytes per agent, 16 bytes per shift) so
 * that 10M interactions fit easily.
 */
final class Workforce {

    /** Shift starts every four hours so that every hour of the day is covered twice. */
    private static final int START_HOUR_GROUPS = 6;

    final int agentCount;
    final String[] agentId;
    final boolean[] outsourced;
    final int[] site;
    final double[] empathyOffset;
    final double[] csatEffect;
    final boolean[] scripted;
    /** Days from period start when training was completed; NaN when never trained. */
    final double[] trainedAtDay;
    final Instant[] hiredAt;
    /** The stock empathy phrase of an agent who opens almost every English conversation with it; else null. */
    final String[] stockPhrase;

    final int shiftCount;
    final int[] shiftAgent;
    final int[] shiftStartHour;
    final boolean[] shiftHighQueue;
    final double[] shiftFatiguePenalty;
    /** For every hour of the period, the shifts on duty. */
    final int[][] onDuty;

    Workforce(long interactions, SplittableRandom random) {
        agentCount = (int) Math.max(PlantedModel.MIN_AGENTS,
                Math.min(PlantedModel.MAX_AGENTS, interactions / PlantedModel.INTERACTIONS_PER_AGENT));
        agentId = new String[agentCount];
        outsourced = new boolean[agentCount];
        site = new int[agentCount];
        empathyOffset = new double[agentCount];
        csatEffect = new double[agentCount];
        scripted = new boolean[agentCount];
        trainedAtDay = new double[agentCount];
        hiredAt = new Instant[agentCount];
        stockPhrase = new String[agentCount];
        double[] highQueueShare = new double[agentCount];
        for (int a = 0; a < agentCount; a++) {
            agentId[a] = String.format(java.util.Locale.ROOT, "A%05d", a + 1);
            site[a] = random.nextInt(PlantedModel.SITES.size());
            outsourced[a] = PlantedModel.SITES.get(site[a]).outsourced();
            empathyOffset[a] = Draw.normal(random, outsourced[a] ? PlantedModel.OUTSOURCED_EMPATHY_SHIFT : 0,
                    PlantedModel.AGENT_EMPATHY_SD);
            csatEffect[a] = Draw.normal(random, 0, PlantedModel.AGENT_CSAT_SD);
            scripted[a] = Draw.bernoulli(random, PlantedModel.SCRIPTED_AGENT_SHARE);
            highQueueShare[a] = Draw.bernoulli(random, PlantedModel.HIGH_EMPATHY_TEAM_SHARE)
                    ? PlantedModel.HIGH_QUEUE_SHARE_TEAM : PlantedModel.HIGH_QUEUE_SHARE_OTHERS;
            double u = random.nextDouble();
            if (u < PlantedModel.TRAINED_BEFORE_SHARE) {
                trainedAtDay[a] = -Draw.uniform(random, 30, 365);
            } else if (u < PlantedModel.TRAINED_BEFORE_SHARE + PlantedModel.TRAINED_SHARE) {
                trainedAtDay[a] = Draw.uniform(random, 60, 300);
            } else {
                trainedAtDay[a] = Double.NaN;
            }
            hiredAt[a] = PERIOD_START.minus(Duration.ofMinutes((long) Draw.uniform(random, 30, 6 * 365) * 24 * 60));
        }

        // Five days on, two off, staggered by agent; eight-hour shifts starting every four hours.
        int maxShifts = agentCount * PERIOD_DAYS;
        int[] agentOf = new int[maxShifts];
        int[] startOf = new int[maxShifts];
        boolean[] highOf = new boolean[maxShifts];
        double[] penaltyOf = new double[maxShifts];
        int n = 0;
        for (int a = 0; a < agentCount; a++) {
            int startHourOfDay = (a % START_HOUR_GROUPS) * (24 / START_HOUR_GROUPS);
            boolean previousHigh = false;
            boolean beforeThatHigh = false;
            for (int day = 0; day < PERIOD_DAYS; day++) {
                if ((day + a) % 7 >= 5) {
                    continue;
                }
                agentOf[n] = a;
                startOf[n] = day * 24 + startHourOfDay;
                highOf[n] = Draw.bernoulli(random, highQueueShare[a]);
                penaltyOf[n] = previousHigh
                        ? (beforeThatHigh ? PlantedModel.FATIGUE_AFTER_TWO_HIGH_SHIFTS : PlantedModel.FATIGUE_AFTER_ONE_HIGH_SHIFT)
                        : 0.0;
                beforeThatHigh = previousHigh;
                previousHigh = highOf[n];
                n++;
            }
        }
        shiftCount = n;
        shiftAgent = Arrays.copyOf(agentOf, n);
        shiftStartHour = Arrays.copyOf(startOf, n);
        shiftHighQueue = Arrays.copyOf(highOf, n);
        shiftFatiguePenalty = Arrays.copyOf(penaltyOf, n);

        int[] perHour = new int[PERIOD_HOURS];
        int shiftHours = (int) PlantedModel.SHIFT_HOURS;
        for (int s = 0; s < n; s++) {
            for (int h = shiftStartHour[s]; h < Math.min(PERIOD_HOURS, shiftStartHour[s] + shiftHours); h++) {
                perHour[h]++;
            }
        }
        onDuty = new int[PERIOD_HOURS][];
        for (int h = 0; h < PERIOD_HOURS; h++) {
            onDuty[h] = new int[perHour[h]];
        }
        int[] filled = new int[PERIOD_HOURS];
        for (int s = 0; s < n; s++) {
            for (int h = shiftStartHour[s]; h < Math.min(PERIOD_HOURS, shiftStartHour[s] + shiftHours); h++) {
                onDuty[h][filled[h]++] = s;
            }
        }
    }

    /**
     * Picks the stock-phrase agents (docs/generator.md, "Audit") and their phrases from a stream of
     * their own, so that no other draw moves: {@link PlantedModel#STOCK_PHRASE_AGENT_SHARE} of the
     * agents, at least {@link PlantedModel#STOCK_PHRASE_AGENTS_MIN}.
     */
    void plantStockPhrases(SplittableRandom random) {
        int count = (int) Math.min(agentCount, Math.max(PlantedModel.STOCK_PHRASE_AGENTS_MIN,
                Math.round(PlantedModel.STOCK_PHRASE_AGENT_SHARE * agentCount)));
        int[] order = new int[agentCount];
        for (int a = 0; a < agentCount; a++) {
            order[a] = a;
        }
        // Phrases in turn from a drawn first one, so that the first agents' phrases differ.
        int phrases = PlantedModel.STOCK_PHRASES.size();
        int first = random.nextInt(phrases);
        for (int k = 0; k < count; k++) {
            int pick = k + random.nextInt(agentCount - k);
            int chosen = order[pick];
            order[pick] = order[k];
            order[k] = chosen;
            stockPhrase[chosen] = PlantedModel.STOCK_PHRASES.get((first + k) % phrases);
        }
    }

    String shiftId(int s) {
        return String.format(java.util.Locale.ROOT, "S%s-%03d", agentId[shiftAgent[s]], shiftStartHour[s] / 24);
    }

    Instant shiftStart(int s) {
        return PERIOD_START.plus(Duration.ofHours(shiftStartHour[s]));
    }

    /** The first hour at or after {@code hour} with someone on duty, or -1 past the period. */
    int staffedHourFrom(int hour) {
        for (int h = Math.max(0, hour); h < PERIOD_HOURS; h++) {
            if (onDuty[h].length > 0) {
                return h;
            }
        }
        return -1;
    }

    /**
     * A shift on duty in {@code hour}. Sensitive contacts go to a high_empathy shift when one is on
     * (a few tries), the others preferably to a general one.
     */
    int route(int hour, boolean sensitive, SplittableRandom random) {
        int[] candidates = onDuty[hour];
        int pick = candidates[random.nextInt(candidates.length)];
        for (int tries = 0; tries < 3 && shiftHighQueue[pick] != sensitive; tries++) {
            pick = candidates[random.nextInt(candidates.length)];
        }
        return pick;
    }

    double trainingBoost(int agent, double day) {
        double trained = trainedAtDay[agent];
        return !Double.isNaN(trained) && trained <= day ? PlantedModel.TRAINING_EMPATHY_POINTS : 0.0;
    }

    /** {@link #trainingWeek} of an agent not trained during the period. */
    static final int NOT_TRAINED_IN_PERIOD = Integer.MIN_VALUE;

    /**
     * The ISO week (an index, {@link TrainingTruth#isoWeekIndex}) of the agent's training as
     * {@code agents.empathy_trained_at} carries it, when it falls in the period; else
     * {@link #NOT_TRAINED_IN_PERIOD} (never trained, or trained before the period).
     */
    int trainingWeek(int agent) {
        double trained = trainedAtDay[agent];
        return Double.isNaN(trained) || trained < 0 ? NOT_TRAINED_IN_PERIOD
                : TrainingTruth.isoWeekIndex(Generator.instantAt(trained));
    }

    void writeAgents(Path file) {
        try (ParquetTableWriter w = new ParquetTableWriter(file, Contract.AGENTS)) {
            for (int a = 0; a < agentCount; a++) {
                PlantedModel.Site s = PlantedModel.SITES.get(site[a]);
                double trained = trainedAtDay[a];
                w.write(agentId[a], outsourced[a] ? "outsourced" : "in_house", s.name(), s.region(), hiredAt[a],
                        Double.isNaN(trained) ? null : Generator.instantAt(trained));
            }
        }
    }

    void writeShifts(Path file) {
        try (ParquetTableWriter w = new ParquetTableWriter(file, Contract.SHIFTS)) {
            for (int s = 0; s < shiftCount; s++) {
                Instant start = shiftStart(s);
                w.write(shiftId(s), agentId[shiftAgent[s]], start,
                        start.plus(Duration.ofHours((long) PlantedModel.SHIFT_HOURS)),
                        shiftHighQueue[s] ? "high_empathy" : "general");
            }
        }
    }

    /** Weekly pulse survey: fatigue rises with the high_empathy shifts of the previous seven days. */
    void writePulse(Path file, SplittableRandom random) {
        int[] firstShift = new int[agentCount + 1];
        for (int s = 0; s < shiftCount; s++) {
            firstShift[shiftAgent[s] + 1]++;
        }
        for (int a = 0; a < agentCount; a++) {
            firstShift[a + 1] += firstShift[a];
        }
        try (ParquetTableWriter w = new ParquetTableWriter(file, Contract.AGENT_PULSE)) {
            for (int a = 0; a < agentCount; a++) {
                if (!Draw.bernoulli(random, PlantedModel.PULSE_PARTICIPATION)) {
                    continue;
                }
                int weekday = random.nextInt(5);
                for (int week = 1; week < PERIOD_DAYS / 7; week++) {
                    int surveyHour = (week * 7 + weekday) * 24 + 12;
                    int high = 0;
                    for (int s = firstShift[a]; s < firstShift[a + 1]; s++) {
                        int start = shiftStartHour[s];
                        if (shiftHighQueue[s] && start < surveyHour && start >= surveyHour - 7 * 24) {
                            high++;
                        }
                    }
                    double latent = PlantedModel.PULSE_BASE + PlantedModel.PULSE_PER_HIGH_SHIFT_LAST_7_DAYS * high
                            + Draw.normal(random, 0, PlantedModel.PULSE_NOISE_SD);
                    int fatigue = (int) Draw.clamp(Math.round(latent), 1, 5);
                    w.write(agentId[a], PERIOD_START.plus(Duration.ofHours(surveyHour)), fatigue);
                }
            }
        }
    }
}
