using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Mirascope.Ops;

namespace AssemblyToProcess
{
    /// <summary>
    /// Agents' entry points (<c>[Agent]</c>): their spans are <c>invoke_agent {name}</c> with the GenAI conventions'
    /// agent attributes, and keep what any traced call records. The tools they call are ordinary traced methods.
    /// </summary>
    public class ResearchAgent
    {
        public int ToolCalls { get; private set; }

        [Agent(Name = "researcher", Id = "agent-42", Description = "Answers questions from the library", Version = "1.2.0", Provider = "openai")]
        public string Answer(string question)
        {
            return "answer to " + question + ": " + Lookup(question);
        }

        [Agent(Name = "async researcher")]
        [Trace(Tags = ["agents", "research"], Metadata = ["team=library"])]
        public async Task<string> AnswerAsync(string question, int steps)
        {
            var found = new List<string>();
            for (var step = 0; step < steps; step++)
            {
                await Task.Yield();
                found.Add(Lookup(question + " " + step));
            }

            return string.Join("; ", found);
        }

        [Agent]
        public string Unnamed(string question) => question.ToUpperInvariant();

        [Agent(Name = "failing researcher")]
        public async Task<string> FailAsync(string question)
        {
            await Task.Yield();
            throw new InvalidOperationException("The library is closed: " + question);
        }

        [Agent(Name = "quiet researcher")]
        [Trace(RecordValues = false)]
        public string Quiet(string secret) => Lookup(secret);

        [Agent(Name = "streaming researcher")]
        public async IAsyncEnumerable<string> StreamAsync(string question, int parts)
        {
            for (var part = 0; part < parts; part++)
            {
                await Task.Yield();
                yield return Lookup(question + " part " + part);
            }
        }

        [Trace]
        public string Lookup(string query)
        {
            ToolCalls++;
            return "found " + query.Length;
        }
    }
}
