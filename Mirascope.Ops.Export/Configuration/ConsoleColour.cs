using System;
using System.IO;
using System.Text;

namespace Mirascope.Ops.Configuration
{
    /// <summary>Whether the console tree is coloured and drawn with Unicode glyphs.</summary>
    internal static class ConsoleColour
    {
        /// <summary>
        /// Colour only when writing to the process's own stdout, stdout is a terminal, <c>NO_COLOR</c> is unset or
        /// empty (https://no-color.org) and <c>TERM</c> is not <c>dumb</c>.
        /// </summary>
        public static bool Enabled(bool writesToStdout, bool stdoutRedirected, Func<string, string?> environment)
        {
            if (!writesToStdout || stdoutRedirected)
            {
                return false;
            }

            if (!string.IsNullOrEmpty(environment("NO_COLOR")))
            {
                return false;
            }

            return !string.Equals(environment("TERM"), "dumb", StringComparison.Ordinal);
        }

        /// <summary>Box-drawing glyphs only where they survive the writer's encoding (a legacy Windows code page would not).</summary>
        public static bool CanDrawUnicode(TextWriter writer)
        {
            try
            {
                return writer.Encoding is UTF8Encoding || writer.Encoding is UnicodeEncoding || writer.Encoding is UTF32Encoding || writer.Encoding.CodePage == 65001;
            }
            catch (Exception)
            {
                return false;
            }
        }
    }
}
