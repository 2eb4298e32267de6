namespace Mirascope.Ops.Tracing
{
    /// <summary>Limits on recorded values, set by configuration.</summary>
    internal static class RecordingLimits
    {
        /// <summary>The default cap of one recorded value: 16 KiB of UTF-8.</summary>
        public const int DefaultMaxAttributeLength = 16 * 1024;

        private static volatile int _maxAttributeLength = DefaultMaxAttributeLength;

        /// <summary>The cap, in UTF-8 bytes, of each recorded value (arguments, output, metadata, session attributes).</summary>
        public static int MaxAttributeLength
        {
            get => _maxAttributeLength;
            set => _maxAttributeLength = value > 0 ? value : DefaultMaxAttributeLength;
        }
    }
}
