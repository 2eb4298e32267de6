using Xunit;

namespace Mirascope.Ops.Tests.Llm
{
    /// <summary>
    /// Tests that change a process-wide setting of the LLM package (the v1.41 names, prompt variables): run alone, after
    /// the parallel tests, so no other test sees the setting.
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class GenAiProcessSettingsCollection
    {
        public const string Name = "LLM process-wide settings";
    }
}
