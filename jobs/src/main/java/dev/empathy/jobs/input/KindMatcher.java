package dev.empathy.jobs.input;

import dev.empathy.lib.contract.Kind;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/** Which Spark types read as which contract kind, and the Spark type each kind is read into. */
final class KindMatcher {

    private KindMatcher() {
    }

    static boolean accepts(Kind kind, DataType found) {
        return switch (kind) {
            case STRING -> found instanceof StringType || found instanceof BinaryType;
            case DOUBLE -> isInteger(found) || found instanceof FloatType || found instanceof DoubleType
                    || found instanceof DecimalType;
            case INT, LONG -> isInteger(found) || (found instanceof DecimalType d && d.scale() == 0);
            case BOOLEAN -> found instanceof BooleanType;
            case TIMESTAMP -> found instanceof TimestampType || found instanceof TimestampNTZType
                    || found instanceof DateType;
        };
    }

    static String accepted(Kind kind) {
        return switch (kind) {
            case STRING -> "string";
            case DOUBLE -> "double: any integer, floating or decimal type";
            case INT -> "int: any integer type whose values fit";
            case LONG -> "long: any integer type whose values fit";
            case BOOLEAN -> "boolean";
            case TIMESTAMP -> "timestamp: UTC-adjusted or local (read as UTC), or a date";
        };
    }

    /** The type a kind is checked in (ints as long, to find values that do not fit). */
    static DataType checkedType(Kind kind) {
        return switch (kind) {
            case STRING -> DataTypes.StringType;
            case DOUBLE -> DataTypes.DoubleType;
            case INT, LONG -> DataTypes.LongType;
            case BOOLEAN -> DataTypes.BooleanType;
            case TIMESTAMP -> DataTypes.TimestampType;
        };
    }

    /** The type a kind is used in downstream. */
    static DataType usedType(Kind kind) {
        return kind == Kind.INT ? DataTypes.IntegerType : checkedType(kind);
    }

    private static boolean isInteger(DataType t) {
        return t instanceof ByteType || t instanceof ShortType || t instanceof IntegerType || t instanceof LongType;
    }
}
