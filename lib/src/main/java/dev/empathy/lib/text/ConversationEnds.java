package dev.empathy.lib.text;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The first and last customer turns of a conversation that say something: the issue defines
 * them as its first and last turns that are not {@link VerbatimCode#UNCLEAR}, so that an opening
 * "hello?" or a closing "ok" does not stand for the customer's tone at either end. When only one
 * turn is clear, it is both ends.
 *
 * @param firstIndex the position of the first clear turn in the conversation's customer turns
 * @param first its code
 * @param lastIndex the position of the last clear turn
 * @param last its code
 */
public record ConversationEnds(int firstIndex, VerbatimCode first, int lastIndex, VerbatimCode last) {

    /** The ends of a conversation's customer turns in order; empty when every turn is unclear. */
    public static Optional<ConversationEnds> of(List<VerbatimCode> customerTurns) {
        int first = -1;
        int last = -1;
        for (int i = 0; i < customerTurns.size(); i++) {
            if (Objects.requireNonNull(customerTurns.get(i), "conversation ends: a turn's code is null")
                    != VerbatimCode.UNCLEAR) {
                if (first < 0) {
                    first = i;
                }
                last = i;
            }
        }
        if (first < 0) {
            return Optional.empty();
        }
        return Optional.of(new ConversationEnds(first, customerTurns.get(first), last, customerTurns.get(last)));
    }

    /** Whether the tone moved between the ends (hostile to cooperative, say). */
    public boolean changed() {
        return first != last;
    }
}
