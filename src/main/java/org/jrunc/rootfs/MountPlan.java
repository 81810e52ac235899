package org.jrunc.rootfs;

import org.jrunc.sys.MountFlags;

/**
 * One config.json mount, parsed: the MS_* flags to set and to clear, the propagation to apply afterwards, the
 * filesystem data string, and mount_setattr attributes for the recursive ("r"-prefixed) options.
 */
public record MountPlan(
        String source,
        String destination,
        String type,
        long flags,
        long clearedFlags,
        long propagation,
        String data,
        long recAttrSet,
        long recAttrClr,
        boolean tmpcopyup) {

    public boolean isBind() {
        return (flags & MountFlags.MS_BIND) != 0;
    }

    public boolean isRecursiveBind() {
        return isBind() && (flags & MountFlags.MS_REC) != 0;
    }

    /** A MountPlan built one named field at a time; see {@link Builder}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this plan's fields, to make a copy that differs in a few of them. */
    public Builder toBuilder() {
        return new Builder()
                .source(source)
                .destination(destination)
                .type(type)
                .flags(flags)
                .clearedFlags(clearedFlags)
                .propagation(propagation)
                .data(data)
                .recAttrSet(recAttrSet)
                .recAttrClr(recAttrClr)
                .tmpcopyup(tmpcopyup);
    }

    /**
     * Sets the fields of a MountPlan by name, so that call sites say what they set instead of passing runs of
     * unlabelled flag words, empties and booleans. A field not set stays null, 0 or false. A plain class (no lambdas,
     * no record methods): cheap on the create and init paths.
     */
    public static final class Builder {
        private String source;
        private String destination;
        private String type;
        private long flags;
        private long clearedFlags;
        private long propagation;
        private String data;
        private long recAttrSet;
        private long recAttrClr;
        private boolean tmpcopyup;

        private Builder() {}

        public Builder source(String v) {
            source = v;
            return this;
        }

        public Builder destination(String v) {
            destination = v;
            return this;
        }

        public Builder type(String v) {
            type = v;
            return this;
        }

        public Builder flags(long v) {
            flags = v;
            return this;
        }

        public Builder clearedFlags(long v) {
            clearedFlags = v;
            return this;
        }

        public Builder propagation(long v) {
            propagation = v;
            return this;
        }

        public Builder data(String v) {
            data = v;
            return this;
        }

        public Builder recAttrSet(long v) {
            recAttrSet = v;
            return this;
        }

        public Builder recAttrClr(long v) {
            recAttrClr = v;
            return this;
        }

        public Builder tmpcopyup(boolean v) {
            tmpcopyup = v;
            return this;
        }

        public MountPlan build() {
            return new MountPlan(
                    source,
                    destination,
                    type,
                    flags,
                    clearedFlags,
                    propagation,
                    data,
                    recAttrSet,
                    recAttrClr,
                    tmpcopyup);
        }
    }
}
