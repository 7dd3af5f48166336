package dev.empathy.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The utterances of generated conversations, one bank per language, read from the resources
 * {@code phrases/<language>.txt} (their README describes the format and the labelling rules the
 * lines follow). Customer lines come in four tones; agent lines are plain, empathetic (documented
 * empathy) or scripted ("performative" stock phrases); personal data comes with a lead-in.
 */
final class Phrases {

    /** The customer's tone; {@code UNCLEAR} is too little to judge ("ok", "hm"). */
    enum Tone {
        HOSTILE, NEUTRAL, COOPERATIVE, UNCLEAR;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How the agent replies. */
    enum AgentStyle {
        PLAIN, EMPATHETIC, SCRIPTED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The customer's words around a piece of personal data. */
    record LeadIn(String before, String after) {
    }

    /** The languages with a bank, by primary subtag; any other tag gets English. */
    static final List<String> LANGUAGES = List.of("en", "de", "es", "fr", "pt", "ja");

    private static final String[] CUSTOMER_SECTIONS = {
        "customer.hostile", "customer.neutral", "customer.cooperative", "customer.unclear"};
    private static final String[] AGENT_SECTIONS = {"agent.plain", "agent.empathy", "agent.scripted"};

    /** One language's lines, indexed by {@link Tone}, {@link AgentStyle} and {@link PersonalData.Kind#leadIn()}. */
    static final class Bank {
        private final String[][] customer;
        private final String[][] agent;
        private final LeadIn[][] personalData;

        private Bank(String[][] customer, String[][] agent, LeadIn[][] personalData) {
            this.customer = customer;
            this.agent = agent;
            this.personalData = personalData;
        }

        /** A new conversation in this language: its speakers avoid repeating a line. */
        Conversation conversation() {
            return new Conversation(this);
        }

        LeadIn leadIn(PersonalData.Kind kind, SplittableRandom random) {
            LeadIn[] options = personalData[kind.leadIn()];
            return options[random.nextInt(options.length)];
        }

        /** Every line of a tone, for tests. */
        List<String> customerLines(Tone tone) {
            return List.of(customer[tone.ordinal()]);
        }

        List<String> agentLines(AgentStyle style) {
            return List.of(agent[style.ordinal()]);
        }

    }

    /**
     * The lines of one conversation. Real customers and agents rarely say the same sentence twice
     * in one contact, so a line already used is drawn again (up to three times) before it repeats.
     */
    static final class Conversation {
        private final Bank bank;
        private final long[] used = new long[CUSTOMER_SECTIONS.length + AGENT_SECTIONS.length];

        private Conversation(Bank bank) {
            this.bank = bank;
        }

        String customer(Tone tone, SplittableRandom random) {
            return fresh(bank.customer[tone.ordinal()], tone.ordinal(), random);
        }

        String agent(AgentStyle style, SplittableRandom random) {
            return fresh(bank.agent[style.ordinal()], CUSTOMER_SECTIONS.length + style.ordinal(), random);
        }

        LeadIn leadIn(PersonalData.Kind kind, SplittableRandom random) {
            return bank.leadIn(kind, random);
        }

        private String fresh(String[] lines, int section, SplittableRandom random) {
            int i = random.nextInt(lines.length);
            for (int tries = 0; tries < 3 && (used[section] & (1L << i)) != 0; tries++) {
                i = random.nextInt(lines.length);
            }
            used[section] |= 1L << i;
            return lines[i];
        }
    }

    private static final Map<String, Bank> BANKS = load();

    private Phrases() {
    }

    /** The bank of a BCP-47 tag (by its primary language), English when there is none. */
    static Bank of(String languageTag) {
        int dash = languageTag.indexOf('-');
        String primary = (dash < 0 ? languageTag : languageTag.substring(0, dash)).toLowerCase(Locale.ROOT);
        Bank bank = BANKS.get(primary);
        return bank != null ? bank : BANKS.get("en");
    }

    private static Map<String, Bank> load() {
        Map<String, Bank> banks = new LinkedHashMap<>();
        for (String language : LANGUAGES) {
            Map<String, List<String>> sections = read("phrases/" + language + ".txt");
            String[][] customer = new String[CUSTOMER_SECTIONS.length][];
            for (int i = 0; i < CUSTOMER_SECTIONS.length; i++) {
                customer[i] = lines(sections, language, CUSTOMER_SECTIONS[i]);
            }
            String[][] agent = new String[AGENT_SECTIONS.length][];
            for (int i = 0; i < AGENT_SECTIONS.length; i++) {
                agent[i] = lines(sections, language, AGENT_SECTIONS[i]);
            }
            String[] leadInSections = PersonalData.Kind.leadInSections();
            LeadIn[][] personalData = new LeadIn[leadInSections.length][];
            for (int i = 0; i < leadInSections.length; i++) {
                List<String> templates = section(sections, language, leadInSections[i]);
                personalData[i] = new LeadIn[templates.size()];
                for (int k = 0; k < templates.size(); k++) {
                    String t = templates.get(k);
                    int at = t.indexOf("{}");
                    if (at < 0) {
                        throw new IllegalStateException("phrases/" + language + ".txt: [" + leadInSections[i]
                                + "] line '" + t + "' has no {} for the value");
                    }
                    personalData[i][k] = new LeadIn(t.substring(0, at), t.substring(at + 2));
                }
            }
            banks.put(language, new Bank(customer, agent, personalData));
        }
        return Map.copyOf(banks);
    }

    /** A section's lines; at most 64, the width of {@link Conversation}'s masks. */
    private static String[] lines(Map<String, List<String>> sections, String language, String name) {
        List<String> lines = section(sections, language, name);
        if (lines.size() > 64) {
            throw new IllegalStateException("phrases/" + language + ".txt: section [" + name + "] has "
                    + lines.size() + " lines, more than 64");
        }
        return lines.toArray(String[]::new);
    }

    private static List<String> section(Map<String, List<String>> sections, String language, String name) {
        List<String> lines = sections.get(name);
        if (lines == null || lines.isEmpty()) {
            throw new IllegalStateException("phrases/" + language + ".txt: section [" + name + "] is missing or empty");
        }
        return lines;
    }

    private static Map<String, List<String>> read(String resource) {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        try (InputStream in = Phrases.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String> current = null;
            String line;
            while ((line = reader.readLine()) != null) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
                    current = sections.computeIfAbsent(trimmed.substring(1, trimmed.length() - 1), k -> new ArrayList<>());
                } else if (current == null) {
                    throw new IllegalStateException(resource + ": line '" + trimmed + "' before any [section]");
                } else {
                    current.add(trimmed);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
        return sections;
    }

    /** Every bank by primary subtag (immutable); for tests. */
    static Map<String, Bank> banks() {
        return BANKS;
    }
}
