namespace Mirascope.Ops.Fody.Diagnostics
{
    /// <summary>Stable codes of the build errors the weaver reports; each is documented in docs/diagnostics.md.</summary>
    internal static class DiagnosticCodes
    {
        public const string NoBody = "MOPS001";
        public const string Extern = "MOPS002";
        public const string MalformedMetadata = "MOPS003";
        public const string DuplicateMetadataKey = "MOPS004";
        public const string EmptyTag = "MOPS005";
        public const string UnsupportedShape = "MOPS006";
        public const string UnrecognizedStateMachine = "MOPS007";
        public const string RuntimeAsync = "MOPS008";
        public const string InvalidOption = "MOPS009";
        public const string AssemblyOnlyOption = "MOPS010";

        // MOPS011 is a warning of the package's build props (nuget/Mirascope.Ops.Fody.props), not of the weaver.

        /// <summary>The weaver failed unexpectedly on one method; reported at the method, the others are still woven.</summary>
        public const string WeaverFailed = "MOPS012";

        /// <summary>The referenced runtime is not the one this weaver emits calls to.</summary>
        public const string RuntimeMismatch = "MOPS013";

        /// <summary>An <c>[Agent]</c> the weaver cannot honour (an empty value, beside <c>[Version]</c> or <c>[Trace(Name)]</c>).</summary>
        public const string InvalidAgent = "MOPS014";
    }
}
