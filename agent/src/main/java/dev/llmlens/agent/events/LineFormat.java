package dev.llmlens.agent.events;

/** How the writer thread turns an event into one line. Called from that one thread only. */
public interface LineFormat {

    void append(StringBuilder line, Event event);

    /**
     * Events were dropped because the queue was full. A format that must account for every event (the
     * audit trail) writes a line saying so; the default writes nothing, the counter is enough.
     *
     * @return whether a line was appended
     */
    default boolean appendLost(StringBuilder line, long lost) {
        return false;
    }
}
