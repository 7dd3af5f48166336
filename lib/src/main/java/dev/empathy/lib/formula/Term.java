package dev.empathy.lib.formula;

import java.io.Serializable;
import java.util.List;
import java.util.stream.Collectors;

/** A product of factors: {@code x}, {@code C(g)}, {@code a:b}. */
public record Term(List<Factor> factors) implements Serializable {

    public Term {
        factors = List.copyOf(factors);
    }

    public String label() {
        return factors.stream().map(Factor::label).collect(Collectors.joining(":"));
    }
}
