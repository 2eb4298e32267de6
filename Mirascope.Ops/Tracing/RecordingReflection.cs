namespace Mirascope.Ops.Tracing
{
    /// <summary>Why the recorder's reflection over recorded values' runtime types is safe to trim.</summary>
    internal static class RecordingReflection
    {
        /// <summary>
        /// The recorder reads the members of a recorded value's runtime type, which no annotation can name in advance.
        /// In a trimmed or native AOT app a member the trimmer removed is not recorded: the value records fewer members,
        /// or its placeholder. Nothing fails, and no member's code runs either way.
        /// </summary>
        public const string Justification = "Members trimmed away are simply not recorded; no member's code runs either way.";
    }
}
