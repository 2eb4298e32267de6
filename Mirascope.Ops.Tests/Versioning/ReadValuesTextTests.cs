using System;
using System.IO;
using Fody;
using Mirascope.Ops.Fody;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Versioning
{
    /// <summary>
    /// The values a <c>[Version]</c> method reads are shown, after its code, as the C# a person wrote (the function
    /// page, <c>VersionInfo.Code</c>): <c>const string Style = "...";</c> under its type's name, C# keywords, C#
    /// literals. The hash still covers the text it always covered, so no function's version changes with the display.
    /// </summary>
    public class ReadValuesTextTests
    {
        // The literals as a person writes them; the expected text below is what the page must show for each.
        private const string Source = """
            using Mirascope.Ops;

            namespace App
            {
                public enum Tone { Plain, Warm }

                [System.Flags]
                public enum Channels { None = 0, Mail = 1, Chat = 2 }

                public static class Prompts
                {
                    public const string Style = "Say \"hi\" \\ then\r\n\tstop: caf\u00e9 \ud83d\ude00 \u0001 \u2028";
                    public const int MaxTokens = -200;
                    public const long Budget = 9_000_000_000;
                    public const double Temperature = 0.1;
                    public const double Huge = 1e300;
                    public const float TopP = 0.95f;
                    public const bool Stream = true;
                    public const char Quote = '\'';
                    public const Tone Mood = Tone.Warm;
                    public const Channels Both = Channels.Mail | Channels.Chat;
                    public const string? Missing = null;
                    public static readonly string Closing =
                        "Answer in one line.";
                }

                public class Writer
                {
                    private static readonly int Retries;

                    static Writer()
                    {
                        Retries = 3;
                    }

                    [Version]
                    public string Write(string topic) =>
                        Prompts.Style + Prompts.MaxTokens + Prompts.Budget + Prompts.Temperature + Prompts.Huge + Prompts.TopP + Prompts.Stream
                        + Prompts.Quote + Prompts.Mood + Prompts.Both + Prompts.Missing + Prompts.Closing + Retries + topic;
                }
            }
            """;

        private static readonly Lazy<VersionInfo> Version = new Lazy<VersionInfo>(() =>
        {
            var path = SourceCompiler.Compile(Source, "ReadValuesText", sourcePath: Path.Combine(Path.GetTempPath(), "mirascope-ops-tests", "ReadValuesText-" + Guid.NewGuid().ToString("N") + ".cs"));
            var result = new ModuleWeaver().ExecuteTestRun(path, runPeVerify: false);
            Assert.Empty(result.Errors);
            return MirascopeOps.VersionOf(result.Assembly.GetType("App.Writer", throwOnError: true)!.GetMethod("Write")!)!;
        });

        [Fact]
        public void The_values_read_show_as_CSharp_declarations_under_their_types_name()
        {
            const string Expected = "\n\n// App.Prompts"
                + "\nconst string Style = \"Say \\\"hi\\\" \\\\ then\\r\\n\\tstop: caf\u00e9 \ud83d\ude00 \\u0001 \\u2028\";"
                + "\nconst int MaxTokens = -200;"
                + "\nconst long Budget = 9000000000;"
                + "\nconst double Temperature = 0.1;"
                + "\nconst double Huge = 1E+300;"
                + "\nconst float TopP = 0.95f;"
                + "\nconst bool Stream = true;"
                + "\nconst char Quote = '\\'';"
                + "\nconst Tone Mood = Tone.Warm;"
                + "\nconst Channels Both = (Channels)3;"
                + "\nconst string Missing = null;"
                + "\nstatic readonly string Closing = \"Answer in one line.\";"
                + "\n\n// App.Writer"
                + "\nstatic readonly int Retries = 3;";

            var code = Version.Value.Code!;
            Assert.EndsWith(Expected, code, StringComparison.Ordinal);
            Assert.DoesNotContain("System.String", code, StringComparison.Ordinal);
            Assert.DoesNotContain("::", code, StringComparison.Ordinal);
        }

        [Fact]
        public void The_hash_is_the_one_the_weaver_computed_before_the_values_were_shown_as_CSharp()
        {
            // Woven by the weaver before this change (its values text was "const System.String App.Prompts::Style = ..."):
            // the display changed, the hash must not, or every versioned function reading a value would get a new version.
            Assert.Equal("b648c5da6048f7627c9d494b3bea519b29dba1ea65dbb19069522ce14172a075", Version.Value.Hash);
        }
    }
}
