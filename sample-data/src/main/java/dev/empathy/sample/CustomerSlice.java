package dev.empathy.sample;

import static dev.empathy.sample.PlantedModel.PERIOD_DAYS;

import dev.empathy.lib.contract.Contract;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * One slice of customers and everything they cause: their interactions, survey answers,
 * conversations and QA ratings. Customers are simulated one at a time in continuous time, so
 * memory does not grow with the slice. A slice writes one part file per table.
 */
final class CustomerSlice {

    private static final long CONVERSATION_STREAM_SALT = 0x7E575EEDC0FFEE01L;
    private static final long SESSION_STREAM_SALT = 0x5E5510A5CA11B8A7L;
    private static final long PLANT_STREAM_SALT = 0xA0D17B1A47E55EEDL;
    private static final long SMALL_REGION_STREAM_SALT = 0x0CEA41A5A11E9105L;

    private final int index;
    private final long quota;
    private final Workforce workforce;
    /** The contact stream: drives every table but turns. */
    private final SplittableRandom random;
    /** Split once per conversation: the turns draw only from it, so their text never moves the other tables. */
    private final SplittableRandom conversations;
    /** The raters, the same in every slice (drawn from the run's seed). */
    private final QaRaters raters;
    /** The calibration sessions' own stream: which contacts the panel rates, and its ratings' noise. */
    private final SplittableRandom sessions;
    private final ConversationTruth conversationTruth = new ConversationTruth();
    /** Carried by the conversation truth, so that it travels with the slice's counts. */
    private final TrainingTruth trainingTruth = conversationTruth.training();
    private final FatigueTruth fatigueTruth;
    /**
     * The audit's plants' own stream (the stock phrases' use, the opt-out's plain lines): drawn
     * only where a plant acts, so that no other stream moves.
     */
    private final SplittableRandom plants;
    /** The small region's own stream: one draw per customer. */
    private final SplittableRandom smallRegion;
    private final AuditTruth auditTruth;

    private ParquetTableWriter interactions;
    private ParquetTableWriter csat;
    private ParquetTableWriter turns;
    private ParquetTableWriter customers;
    private ParquetTableWriter qaRatings;
    private long written;
    private long interactionSeq;

    CustomerSlice(int index, long quota, Workforce workforce, long seed, QaRaters raters) {
        this.index = index;
        this.quota = quota;
        this.workforce = workforce;
        this.random = new SplittableRandom(seed);
        this.conversations = new SplittableRandom(seed ^ CONVERSATION_STREAM_SALT);
        this.raters = raters;
        this.sessions = new SplittableRandom(seed ^ SESSION_STREAM_SALT);
        this.fatigueTruth = new FatigueTruth(workforce.agentCount);
        this.plants = new SplittableRandom(seed ^ PLANT_STREAM_SALT);
        this.smallRegion = new SplittableRandom(seed ^ SMALL_REGION_STREAM_SALT);
        this.auditTruth = new AuditTruth(workforce.agentCount);
    }

    /** Row counts of the part files written, and what the conversations and the plants did. */
    record Counts(long interactions, long csat, long turns, long customers, long qaRatings,
                  ConversationTruth conversations, FatigueTruth fatigue, AuditTruth audit) {
        /** The sum of both; merges the other's conversation, fatigue and audit truth into this one's. */
        Counts plus(Counts o) {
            return new Counts(interactions + o.interactions, csat + o.csat, turns + o.turns,
                    customers + o.customers, qaRatings + o.qaRatings, conversations.combine(o.conversations),
                    fatigue.combine(o.fatigue), audit.combine(o.audit));
        }
    }

    Counts run(Path root, String part, GeneratorParams.Order order) {
        try (ParquetTableWriter i = new ParquetTableWriter(root.resolve("interactions").resolve(part), Contract.INTERACTIONS,
                order == GeneratorParams.Order.TIME ? Generator.INTERACTIONS_BY_TIME : null);
             ParquetTableWriter c = new ParquetTableWriter(root.resolve("csat").resolve(part), Contract.CSAT);
             ParquetTableWriter t = new ParquetTableWriter(root.resolve("turns").resolve(part), Contract.TURNS);
             ParquetTableWriter cu = new ParquetTableWriter(root.resolve("customers").resolve(part), Contract.CUSTOMERS);
             ParquetTableWriter q = new ParquetTableWriter(root.resolve("qa_ratings").resolve(part), Contract.QA_RATINGS)) {
            interactions = i;
            csat = c;
            turns = t;
            customers = cu;
            qaRatings = q;
            long customerSeq = 0;
            while (written < quota) {
                simulateCustomer(String.format(Locale.ROOT, "C%03d%07d", index, ++customerSeq));
            }
            return new Counts(i.rows(), c.rows(), t.rows(), cu.rows(), q.rows(), conversationTruth, fatigueTruth,
                    auditTruth);
        }
    }

    private void simulateCustomer(String customerId) {
        String segment = PlantedModel.SEGMENTS.get(Draw.weighted(random, PlantedModel.SEGMENT_WEIGHTS));
        PlantedModel.Country country = PlantedModel.COUNTRIES.get(Draw.weighted(random, PlantedModel.COUNTRY_WEIGHTS));
        // The small region (one draw of its own stream per customer, whatever the country).
        if (smallRegion.nextDouble() < PlantedModel.SMALL_REGION_SHARE_OF_FROM
                && PlantedModel.SMALL_REGION_FROM_COUNTRY.equals(country.code())) {
            country = PlantedModel.SMALL_REGION_COUNTRY;
            auditTruth.smallRegionCustomer();
        }
        boolean optOut = Draw.bernoulli(random, PlantedModel.OPT_OUT_SHARE);
        int preferredChannel = Draw.weighted(random, PlantedModel.CHANNEL_WEIGHTS);
        double episodesPerDay = Draw.gamma(random, 2, PlantedModel.EPISODES_PER_YEAR.get(segment)) / 365.0;
        double signupDay = Draw.bernoulli(random, PlantedModel.SIGNUP_IN_PERIOD_SHARE)
                ? Draw.uniform(random, 0, 300) : -Draw.uniform(random, 1, 5 * 365);
        double baseHazardPerDay = PlantedModel.CHURN_PER_YEAR.get(segment) / 365.0;
        double logHrPer10 = PlantedModel.CHURN_LOG_HR_PER_10.get(segment);

        Customer customer = new Customer(customerId, segment, country, optOut, preferredChannel);
        double t = Math.max(0, signupDay);
        double nextEpisode = t + Draw.exponential(random, 1 / episodesPerDay);
        PriorityQueue<FollowUp> followUps = new PriorityQueue<>();
        double exposureSum = 0;
        int exposureCount = 0;
        Double churnDay = null;
        while (written < quota) {
            double exposure = exposureCount == 0 ? PlantedModel.EXPOSURE_BEFORE_FIRST_CONTACT : exposureSum / exposureCount;
            double hazard = baseHazardPerDay * Math.exp(logHrPer10 * (exposure - 60.0) / 10.0);
            double churn = t + Draw.exponential(random, 1 / hazard);
            FollowUp next = followUps.peek();
            boolean isFollowUp = next != null && next.day < nextEpisode;
            double contact = isFollowUp ? next.day : nextEpisode;
            if (churn < contact && churn < PERIOD_DAYS) {
                churnDay = churn;
                break;
            }
            if (contact >= PERIOD_DAYS) {
                break;
            }
            t = contact;
            Contact made;
            if (isFollowUp) {
                followUps.poll();
                made = contact(customer, t, next.reason, next.channel);
            } else {
                nextEpisode = t + Draw.exponential(random, 1 / episodesPerDay);
                made = contact(customer, t, null, -1);
            }
            if (made == null) {
                continue;
            }
            exposureSum += made.empathy;
            exposureCount++;
            double followUpLogit = PlantedModel.FOLLOW_UP_INTERCEPT
                    + (made.resolved ? 0 : PlantedModel.FOLLOW_UP_UNRESOLVED)
                    + (made.documented ? PlantedModel.FOLLOW_UP_DOCUMENTED : 0)
                    + ("complaint".equals(made.reason) ? PlantedModel.FOLLOW_UP_COMPLAINT : 0);
            if (Draw.bernoulli(random, Draw.logistic(followUpLogit))) {
                double delay = Draw.uniform(random, PlantedModel.FOLLOW_UP_MIN_DAYS, PlantedModel.FOLLOW_UP_MAX_DAYS);
                followUps.add(new FollowUp(t + delay, made.reason, made.channel));
            }
        }
        customers.write(customerId, segment, Generator.instantAt(signupDay),
                churnDay == null ? null : Generator.instantAt(churnDay), optOut, country.code());
    }

    private record Customer(String id, String segment, PlantedModel.Country country, boolean optOut,
                            int preferredChannel) {
    }

    private record FollowUp(double day, String reason, int channel) implements Comparable<FollowUp> {
        @Override
        public int compareTo(FollowUp o) {
            return Double.compare(day, o.day);
        }
    }

    private record Contact(double empathy, boolean documented, boolean resolved, String reason, int channel) {
    }

    /** One interaction and what it causes; null when no one is on duty until the period ends. */
    private Contact contact(Customer customer, double day, String followUpReason, int followUpChannel) {
        int hour = workforce.staffedHourFrom((int) Math.floor(day * 24));
        if (hour < 0) {
            return null;
        }
        if (hour > (int) Math.floor(day * 24)) {
            day = hour / 24.0 + random.nextDouble() / 24.0;
        }
        int channelIndex = followUpChannel >= 0 && Draw.bernoulli(random, 0.5) ? followUpChannel
                : Draw.bernoulli(random, 0.6) ? customer.preferredChannel
                : Draw.weighted(random, PlantedModel.CHANNEL_WEIGHTS);
        String channel = PlantedModel.CHANNELS.get(channelIndex);
        String reason = followUpReason != null ? followUpReason
                : PlantedModel.REASONS.get(Draw.weighted(random, PlantedModel.REASON_WEIGHTS));
        int shift = workforce.route(hour, PlantedModel.SENSITIVE_REASONS.contains(reason), random);
        int agent = workforce.shiftAgent[shift];
        boolean outsourced = workforce.outsourced[agent];

        double reasonPoints = "complaint".equals(reason) ? -2.0 : "bereavement".equals(reason) ? 4.0 : 0.0;
        double empathyNoise = Draw.normal(random, 0, PlantedModel.EMPATHY_NOISE_SD);
        double empathy = Draw.round(Draw.clamp(PlantedModel.EMPATHY_MEAN + workforce.empathyOffset[agent]
                + workforce.trainingBoost(agent, day) - workforce.shiftFatiguePenalty[shift] + reasonPoints
                + empathyNoise, 0, 100), 0.1);
        // The same contact without the fatigue penalty, for the fatigue truth (no draw).
        double rested = Draw.round(Draw.clamp(PlantedModel.EMPATHY_MEAN + workforce.empathyOffset[agent]
                + workforce.trainingBoost(agent, day) + reasonPoints + empathyNoise, 0, 100), 0.1);
        boolean scored = Draw.bernoulli(random, PlantedModel.SCORED_SHARE);
        double documentedDraw = random.nextDouble();
        boolean documented = documentedDraw < documentedProbability(empathy);
        // The training truth: the same draws without training (docs/generator.md, "Training").
        boolean trained = workforce.trainingBoost(agent, day) > 0;
        int trainingWeek = workforce.trainingWeek(agent);
        boolean counted = trainingWeek != Workforce.NOT_TRAINED_IN_PERIOD
                && TrainingTruth.isoWeekIndex(Generator.instantAt(day)) >= trainingWeek;
        double untrainedEmpathy = !trained ? empathy : Draw.round(Draw.clamp(PlantedModel.EMPATHY_MEAN
                + workforce.empathyOffset[agent] - workforce.shiftFatiguePenalty[shift] + reasonPoints
                + empathyNoise, 0, 100), 0.1);
        boolean untrainedDocumented = documentedDraw < documentedProbability(untrainedEmpathy);
        // The audit's dropped cell: its QA score (and ratings) only, so that no other row moves.
        Instant startedAt = Generator.instantAt(day);
        boolean dropped = PlantedModel.AUDIT_DROP_REGION.equals(customer.country.region())
                && PlantedModel.AUDIT_DROP_CHANNEL.equals(channel)
                && !startedAt.isBefore(PlantedModel.AUDIT_DROP_FROM) && startedAt.isBefore(PlantedModel.AUDIT_DROP_UNTIL);
        double score = dropped ? dropped(empathy) : empathy;
        if (counted) {
            trainingTruth.contact();
            if (scored) {
                trainingTruth.scored(score, dropped ? dropped(untrainedEmpathy) : untrainedEmpathy);
            }
        }
        boolean resolved = Draw.bernoulli(random, Draw.logistic(PlantedModel.RESOLVED_INTERCEPT
                + PlantedModel.RESOLVED_REASON.get(reason)));
        Double resolutionHours = null;
        if (resolved) {
            double agentZ = workforce.empathyOffset[agent] / PlantedModel.AGENT_EMPATHY_SD;
            double hours = Draw.logNormal(random, PlantedModel.RESOLUTION_MEDIAN_HOURS.get(channel),
                    PlantedModel.RESOLUTION_SIGMA) * Math.exp(PlantedModel.SLOWER_PER_AGENT_EMPATHY_SD * agentZ);
            resolutionHours = Draw.round(Math.min(hours, PlantedModel.RESOLUTION_CAP_HOURS), 0.01);
        }
        double handleSeconds = Math.round(Draw.logNormal(random, PlantedModel.HANDLE_MEDIAN_SECONDS.get(channel), 0.5)
                * (1 + 0.004 * (empathy - PlantedModel.EMPATHY_MEAN)));
        boolean escalated = Draw.bernoulli(random, 0.03 + (resolved ? 0 : 0.12) + ("complaint".equals(reason) ? 0.05 : 0));
        boolean social = "social".equals(channel);
        boolean isPublic = social && Draw.bernoulli(random, PlantedModel.PUBLIC_SOCIAL_SHARE);
        Long reach = isPublic ? Math.round(Draw.logNormal(random, 250, 1.6)) : null;
        double responseMean = PlantedModel.FIRST_RESPONSE_MEAN_MINUTES.get(channel)
                * (social && outsourced ? PlantedModel.OUTSOURCED_SOCIAL_RESPONSE_FACTOR : 1.0)
                * (isPublic ? PlantedModel.PUBLIC_RESPONSE_REGION_FACTOR.getOrDefault(customer.country.region(), 1.0)
                : 1.0);
        double firstResponse = Draw.round(Draw.exponential(random, responseMean), 0.1);
        if (isPublic) {
            auditTruth.publicPost(customer.country.region(), firstResponse);
        }
        // The score the model expects for this contact before its noise (clamping and rounding aside).
        double expected = PlantedModel.EMPATHY_MEAN + workforce.empathyOffset[agent] + workforce.trainingBoost(agent, day)
                - workforce.shiftFatiguePenalty[shift] + reasonPoints - (dropped ? PlantedModel.AUDIT_DROP_POINTS : 0);
        auditTruth.contact(customer.country.region(), channel, startedAt, scored, score, empathy, expected,
                customer.optOut, documented);

        String interactionId = String.format(Locale.ROOT, "I%03d%09d", index, ++interactionSeq);
        interactions.write(interactionId, customer.id, workforce.agentId[agent], startedAt, channel,
                customer.country.region(), outsourced ? "outsourced" : "in_house", reason, handleSeconds, resolved,
                resolutionHours, scored ? score : null, documented, escalated, customer.country.language(),
                social ? isPublic : Boolean.FALSE, reach, firstResponse);
        written++;

        double csatEffect = answerSurvey(interactionId, customer, day, channel, reason, agent, empathy, rested,
                resolved, resolutionHours, counted ? untrainedEmpathy : Double.NaN);
        recordFatigue(shift, agent, startedAt, scored ? score - (dropped ? dropped(rested) : rested) : Double.NaN,
                documentedProbability(empathy) - documentedProbability(rested), csatEffect);
        if (Draw.bernoulli(random, PlantedModel.TRANSCRIPT_SHARE.get(channel))) {
            converse(interactionId, customer, day, reason, agent, empathy, scored, documented, resolved, handleSeconds,
                    trained, counted ? new Untrained(untrainedEmpathy, untrainedDocumented) : null);
        }
        if (scored && Draw.bernoulli(random, PlantedModel.QA_DOUBLE_RATED_SHARE)) {
            rate(interactionId, day, score);
        } else if (scored && Draw.bernoulli(sessions, PlantedModel.QA_SESSION_SHARE)) {
            rateInSession(interactionId, startedAt, score);
        }
        return new Contact(empathy, documented, resolved, reason, channelIndex);
    }

    /** A score in the audit's dropped cell: {@link PlantedModel#AUDIT_DROP_POINTS} lower, clamped, rounded to 0.1. */
    private static double dropped(double score) {
        return Draw.round(Draw.clamp(score - PlantedModel.AUDIT_DROP_POINTS, 0, 100), 0.1);
    }

    private static double documentedProbability(double empathy) {
        return Draw.logistic(PlantedModel.DOCUMENTED_INTERCEPT
                + PlantedModel.DOCUMENTED_PER_POINT * (empathy - PlantedModel.EMPATHY_MEAN));
    }

    /**
     * Counts a contact for the fatigue truth when its shift has a previous shift of the same agent
     * (shifts are numbered by agent, then start) and its {@code started_at} lies in its shift.
     */
    private void recordFatigue(int shift, int agent, Instant startedAt, double scoreEffect, double documentedEffect,
                               double csatEffect) {
        if (shift == 0 || workforce.shiftAgent[shift - 1] != agent) {
            return;
        }
        Instant start = workforce.shiftStart(shift);
        if (startedAt.isBefore(start) || !startedAt.isBefore(start.plusSeconds((long) (PlantedModel.SHIFT_HOURS * 3600)))) {
            fatigueTruth.outsideTheirShift();
            return;
        }
        fatigueTruth.contact(agent, workforce.shiftHighQueue[shift - 1], scoreEffect, documentedEffect, csatEffect);
    }

    /** The counterfactual of a counted contact: its empathy and documented decision without training. */
    private record Untrained(double empathy, boolean documented) {
    }

    /**
     * The survey answer, if the customer answers; returns the fatigue effect on the expected
     * answer ({@code clamp(mu)} at the contact's empathy minus at its {@code rested} empathy), NaN
     * when there is no answer. {@code untrainedEmpathy}: for a contact the training truth counts,
     * its empathy without training; else NaN.
     */
    private double answerSurvey(String interactionId, Customer customer, double day, String channel, String reason,
                                int agent, double empathy, double rested, boolean resolved, Double resolutionHours,
                                double untrainedEmpathy) {
        double responseRate = PlantedModel.RESPONSE_RATE.get(channel) + (resolved ? 0 : PlantedModel.RESPONSE_UNRESOLVED);
        if (!Draw.bernoulli(random, responseRate)) {
            return Double.NaN;
        }
        double mu = expectedCsat(customer, day, channel, reason, agent, empathy, resolved, resolutionHours);
        double s = (Draw.clamp(mu, 1.05, 4.95) - 1) / 4;
        if (!Double.isNaN(untrainedEmpathy)) {
            trainingTruth.answered(Draw.clamp(mu, 1.05, 4.95), Draw.clamp(expectedCsat(customer, day, channel, reason,
                    agent, untrainedEmpathy, resolved, resolutionHours), 1.05, 4.95));
        }
        int score = Draw.bernoulli(random, 0.5) ? 1 + Draw.binomial(random, 4, s) : 1 + (Draw.bernoulli(random, s) ? 4 : 0);
        double hoursToAnswer = (resolutionHours == null ? 0 : resolutionHours) + Draw.exponential(random, 10);
        csat.write(interactionId, score, Generator.instantAt(day + hoursToAnswer / 24));
        double restedMu = expectedCsat(customer, day, channel, reason, agent, rested, resolved, resolutionHours);
        return Draw.clamp(mu, 1.05, 4.95) - Draw.clamp(restedMu, 1.05, 4.95);
    }

    /** The expected CSAT answer before clamping: docs/generator.md, "CSAT". */
    private double expectedCsat(Customer customer, double day, String channel, String reason, int agent,
                                double empathy, boolean resolved, Double resolutionHours) {
        double e10 = (empathy - PlantedModel.EMPATHY_MEAN) / 10.0;
        double mu = PlantedModel.CSAT_BASE + PlantedModel.CSAT_PER_10_EMPATHY * e10;
        if (resolved) {
            double h = resolutionHours;
            mu += PlantedModel.CSAT_PER_RESOLUTION_HOUR * h
                    + PlantedModel.CSAT_EMPATHY_X_HOURS * e10 * (h - PlantedModel.CSAT_INTERACTION_CENTRE_HOURS);
        } else {
            mu += PlantedModel.CSAT_UNRESOLVED;
        }
        int month = Generator.instantAt(day).atZone(java.time.ZoneOffset.UTC).getMonthValue();
        mu += PlantedModel.CSAT_CHANNEL.get(channel) + PlantedModel.CSAT_SEGMENT.get(customer.segment)
                + PlantedModel.CSAT_REASON.get(reason) + PlantedModel.CSAT_REGION.get(customer.country.region())
                + PlantedModel.CSAT_MONTH_AMPLITUDE * Math.sin(2 * Math.PI * month / 12.0)
                + workforce.csatEffect[agent] + (workforce.outsourced[agent] ? PlantedModel.CSAT_OUTSOURCED : 0);
        return mu;
    }

    /**
     * {@code trained}: the agent was trained by {@code day} (the customer's slope rises by
     * {@link PlantedModel#TRAINING_SENTIMENT_SLOPE}); {@code untrained}: for a contact the training
     * truth counts, its empathy and documented decision without training, else null.
     */
    private void converse(String interactionId, Customer customer, double day, String reason, int agent,
                          double empathy, boolean scored, boolean documented, boolean resolved,
                          double handleSeconds, boolean trained, Untrained untrained) {
        replayRetiredConversationDraws(documented, workforce.scripted[agent]);
        SplittableRandom r = conversations.split();
        String language = customer.country.language();
        Phrases.Conversation lines = Phrases.of(language).conversation();
        boolean sentimentGiven = Draw.bernoulli(r, PlantedModel.SENTIMENT_GIVEN_SHARE);
        double start = Draw.normal(r, PlantedModel.SENTIMENT_START
                + ("complaint".equals(reason) ? PlantedModel.SENTIMENT_START_COMPLAINT : 0), PlantedModel.SENTIMENT_START_SD);
        double slope = PlantedModel.SENTIMENT_SLOPE + (documented ? PlantedModel.SENTIMENT_SLOPE_DOCUMENTED : 0)
                + PlantedModel.SENTIMENT_SLOPE_PER_10_EMPATHY * (empathy - PlantedModel.EMPATHY_MEAN) / 10.0;
        if (trained) {
            slope += PlantedModel.TRAINING_SENTIMENT_SLOPE;
        }
        double untrainedSlope = untrained == null ? slope : PlantedModel.SENTIMENT_SLOPE
                + (untrained.documented() ? PlantedModel.SENTIMENT_SLOPE_DOCUMENTED : 0)
                + PlantedModel.SENTIMENT_SLOPE_PER_10_EMPATHY * (untrained.empathy() - PlantedModel.EMPATHY_MEAN) / 10.0;
        int exchanges = PlantedModel.EXCHANGES_MIN + Draw.poisson(r, PlantedModel.EXCHANGES_EXTRA_MEAN);
        double secondsPerTurn = Math.max(5, handleSeconds / (2 * exchanges));
        double closingLift = resolved ? PlantedModel.CLOSING_LIFT_RESOLVED : PlantedModel.CLOSING_LIFT_UNRESOLVED;
        double[] sentiments = new double[exchanges];
        Phrases.Tone first = null;
        Phrases.Tone last = null;
        // The clear (not unclear) ends as drawn and without training, for the training truth.
        Phrases.Tone[] clearEnds = new Phrases.Tone[4];
        double untrainedFirst = Double.NaN;
        double untrainedLast = Double.NaN;
        int turn = 0;
        // The audit's plants, from their own stream: a stock-phrase agent's opening, the opt-out's plain lines.
        String stockPhrase = workforce.stockPhrase[agent];
        boolean english = "en".equals(language);
        boolean opensWithStock = stockPhrase != null && english && Draw.bernoulli(plants, PlantedModel.STOCK_PHRASE_USE);
        boolean openedWithStock = false;
        int empathyLines = 0;
        int madePlain = 0;
        for (int j = 0; j < exchanges; j++) {
            double lift = j == exchanges - 1 ? closingLift : 0;
            double noise = Draw.normal(r, 0, PlantedModel.SENTIMENT_NOISE_SD);
            // Rounded to the nearest double of three decimals first, so that tone and column agree.
            double sentiment = Math.round(1000 * Draw.clamp(start + slope * j + lift + noise, -1, 1)) / 1000.0;
            sentiments[j] = sentiment;
            boolean unclear = Draw.bernoulli(r, PlantedModel.UNCLEAR_SHARE);
            Phrases.Tone tone = unclear ? Phrases.Tone.UNCLEAR : toneOf(sentiment);
            first = j == 0 ? tone : first;
            last = tone;
            if (untrained != null) {
                double without = Math.round(1000 * Draw.clamp(start + untrainedSlope * j + lift + noise, -1, 1)) / 1000.0;
                untrainedFirst = j == 0 ? without : untrainedFirst;
                untrainedLast = without;
                if (!unclear) {
                    Phrases.Tone untrainedTone = toneOf(without);
                    clearEnds[0] = clearEnds[0] == null ? tone : clearEnds[0];
                    clearEnds[1] = tone;
                    clearEnds[2] = clearEnds[2] == null ? untrainedTone : clearEnds[2];
                    clearEnds[3] = untrainedTone;
                }
            }
            String text = lines.customer(tone, r);
            if (Draw.bernoulli(r, PlantedModel.PERSONAL_DATA_SHARE)) {
                text = withPersonalData(text, lines, customer.country.code(), r);
            }
            turns.write(interactionId, turn, "customer", text, sentimentGiven ? sentiment : null,
                    Generator.instantAt(day + turn * secondsPerTurn / 86_400));
            conversationTruth.customerTurn(tone, sentimentGiven);
            turn++;
            Phrases.AgentStyle style = documented && j == 0 ? Phrases.AgentStyle.EMPATHETIC
                    : workforce.scripted[agent] && Draw.bernoulli(r, PlantedModel.SCRIPTED_REPLY_SHARE)
                    ? Phrases.AgentStyle.SCRIPTED : Phrases.AgentStyle.PLAIN;
            String reply = lines.agent(style, r);
            boolean stock = j == 0 && opensWithStock;
            if (stock) {
                reply = stockPhrase;
            }
            if (customer.optOut && (stock || style != Phrases.AgentStyle.PLAIN)
                    && !Draw.bernoulli(plants, PlantedModel.OPT_OUT_EMPATHY_LINE_KEPT)) {
                List<String> plain = Phrases.of(language).agentLines(Phrases.AgentStyle.PLAIN);
                reply = plain.get(plants.nextInt(plain.size()));
                style = Phrases.AgentStyle.PLAIN;
                stock = false;
                madePlain++;
            }
            turns.write(interactionId, turn, "agent", reply, null,
                    Generator.instantAt(day + turn * secondsPerTurn / 86_400));
            openedWithStock |= stock;
            if (stock) {
                conversationTruth.stockTurn();
            } else {
                conversationTruth.agentTurn(style);
            }
            empathyLines += stock || style != Phrases.AgentStyle.PLAIN ? 1 : 0;
            turn++;
        }
        auditTruth.conversation(customer.optOut, exchanges, empathyLines, madePlain);
        auditTruth.agentConversation(agent, english, openedWithStock);
        conversationTruth.conversation(language, documented, scored ? empathy : null, sentimentGiven,
                sentiments, first, last);
        if (untrained != null) {
            trainingTruth.conversation(sentimentGiven, sentiments[exchanges - 1] - sentiments[0],
                    untrainedLast - untrainedFirst, clearEnds[0], clearEnds[1], clearEnds[2], clearEnds[3]);
        }
    }

    private static Phrases.Tone toneOf(double sentiment) {
        return sentiment < PlantedModel.HOSTILE_BELOW ? Phrases.Tone.HOSTILE
                : sentiment > PlantedModel.COOPERATIVE_ABOVE ? Phrases.Tone.COOPERATIVE : Phrases.Tone.NEUTRAL;
    }

    /** The customer's line, then one piece of personal data with the customer's words around it. */
    private String withPersonalData(String line, Phrases.Conversation lines, String country, SplittableRandom r) {
        PersonalData.Kind kind = PersonalData.draw(country, r);
        Phrases.LeadIn leadIn = lines.leadIn(kind, r);
        StringBuilder sb = new StringBuilder(line.length() + 80).append(line).append(' ').append(leadIn.before());
        PersonalData.append(sb, kind, country, r);
        conversationTruth.personalData(kind);
        return sb.append(leadIn.after()).toString();
    }

    /**
     * Until conversations got their own stream, they drew from the contact stream: these are
     * exactly the draws they took (commit f1b998b), taken and thrown away, so that every other
     * table (interactions, csat, customers, qa_ratings) stays as it was. Keep this method as it
     * is; a change to the conversations belongs in {@link #converse} and its own stream.
     */
    private void replayRetiredConversationDraws(boolean documented, boolean scriptedAgent) {
        random.nextDouble();                            // sentiment given
        random.nextGaussian();                          // start
        int exchanges = 2 + Draw.poisson(random, 2.5);
        for (int j = 0; j < exchanges; j++) {
            random.nextGaussian();                      // noise
            random.nextInt(4);                          // customer line
            if (random.nextDouble() < 0.03) {           // personal data
                switch (random.nextInt(3)) {
                    case 0 -> random.nextInt(100_000);
                    case 1 -> random.nextInt(1_000_000);
                    default -> {
                        random.nextInt(1000);
                        random.nextInt(10_000);
                        random.nextInt(10_000);
                        random.nextInt(10_000);
                    }
                }
            }
            if (documented && j == 0) {
                random.nextInt(3);                      // empathetic reply
            } else if (scriptedAgent && random.nextDouble() < 0.4) {
                random.nextInt(2);                      // scripted reply
            } else {
                random.nextInt(4);                      // plain reply
            }
        }
    }

    private void rate(String interactionId, double day, double empathy) {
        int count = 2 + random.nextInt(3);
        int pool = raters.count;
        int first = random.nextInt(pool);
        int step = 1 + random.nextInt(pool - 1);
        for (int k = 0; k < count; k++) {
            int rater = (first + k * step) % pool;
            if (k > 0 && rater == first) {
                break;
            }
            double ratedDay = day + Draw.uniform(random, 1, 10);
            writeRating(interactionId, rater, ratedDay, empathy + raters.offset(rater, ratedDay)
                    + Draw.normal(random, 0, raters.noiseSd[rater]));
        }
    }

    /** The whole panel rates the contact at the session on the first day of the next month. */
    private void rateInSession(String interactionId, Instant startedAt, double empathy) {
        java.time.LocalDate session = startedAt.atZone(java.time.ZoneOffset.UTC).toLocalDate().withDayOfMonth(1)
                .plusMonths(1);
        double sessionDay = java.time.Duration.between(PlantedModel.PERIOD_START,
                session.atStartOfDay(java.time.ZoneOffset.UTC).toInstant()).toSeconds() / 86_400.0;
        for (int rater : raters.panel) {
            writeRating(interactionId, rater, sessionDay, empathy + raters.offset(rater, sessionDay)
                    + Draw.normal(sessions, 0, raters.noiseSd[rater]));
        }
    }

    private void writeRating(String interactionId, int rater, double ratedDay, double score) {
        qaRatings.write(interactionId, raters.id[rater], raters.team[rater], Draw.round(Draw.clamp(score, 0, 100), 0.5),
                Generator.instantAt(ratedDay));
    }
}
