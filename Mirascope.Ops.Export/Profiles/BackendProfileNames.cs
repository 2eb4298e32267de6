using System;
using System.Collections.Generic;

namespace Mirascope.Ops.Profiles
{
    /// <summary>Reads and checks the profile names of <c>MIRASCOPE_BACKEND_PROFILES</c>, and checks a value set in code.</summary>
    internal static class BackendProfileNames
    {
        public const string EnvironmentVariable = "MIRASCOPE_BACKEND_PROFILES";

        public const BackendProfiles All = BackendProfiles.Langfuse | BackendProfiles.OpenInference | BackendProfiles.GenAI;

        private const string Known = "'langfuse', 'openinference', 'genai' (comma-separated), or 'none'";

        /// <summary>Parses <c>langfuse,openinference</c>: any case, separated by commas, semicolons or spaces; empty is none.</summary>
        public static bool TryParse(string? text, out BackendProfiles profiles, out string? problem)
        {
            profiles = BackendProfiles.None;
            problem = null;
            if (string.IsNullOrWhiteSpace(text))
            {
                return true;
            }

            var unknown = new List<string>();
            foreach (var part in text!.Split(new[] { ',', ';', ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries))
            {
                switch (part.ToLowerInvariant())
                {
                    case "langfuse":
                        profiles |= BackendProfiles.Langfuse;
                        break;
                    case "openinference":
                        profiles |= BackendProfiles.OpenInference;
                        break;
                    case "genai":
                        profiles |= BackendProfiles.GenAI;
                        break;
                    case "none":
                        break;
                    default:
                        unknown.Add("'" + part + "'");
                        break;
                }
            }

            if (unknown.Count == 0)
            {
                return true;
            }

            problem = $"{EnvironmentVariable} is '{text}': {string.Join(", ", unknown)} {(unknown.Count == 1 ? "is not a backend profile" : "are not backend profiles")}; use {Known}.";
            profiles = BackendProfiles.None;
            return false;
        }

        /// <summary>A value set in code with bits no profile has (a cast integer): the problem, else null.</summary>
        public static string? CheckDefined(BackendProfiles profiles, string source) =>
            (profiles & ~All) == 0
                ? null
                : $"{source} is {(int)profiles}, which holds no backend profile for {(int)(profiles & ~All)}; use BackendProfiles.Langfuse, OpenInference, GenAI or a combination.";

        /// <summary>The profiles the environment asks for; throws <see cref="ArgumentException"/> naming the variable on an unknown name.</summary>
        public static BackendProfiles FromEnvironment(Func<string, string?> environment)
        {
            if (!TryParse(environment(EnvironmentVariable), out var profiles, out var problem))
            {
                throw new ArgumentException("Mirascope.Ops configuration is invalid:" + Environment.NewLine + "- " + problem);
            }

            return profiles;
        }
    }
}
