using System.Collections.Generic;
using System.Threading;
using Mirascope.Ops;

namespace AssemblyToProcess
{
    /// <summary>
    /// The loops an LLM engineer traces: an agent making tool calls and an eval asking a model many questions, each call
    /// taking a millisecond or more (a network round trip). Every call's values must be recorded by default.
    /// </summary>
    public class Agent
    {
        public int ToolCalls { get; private set; }

        [Trace]
        public List<string> Run(string task, int steps)
        {
            var observations = new List<string>();
            for (var step = 0; step < steps; step++)
            {
                observations.Add(CallTool("search", "{\"query\":\"" + task + " step " + step + "\"}"));
            }

            return observations;
        }

        [Trace]
        public string CallTool(string name, string arguments)
        {
            Thread.Sleep(1);
            ToolCalls++;
            return name + " found " + arguments.Length + " results for " + arguments;
        }
    }

    /// <summary>An evaluation: one model call per question, all in one trace.</summary>
    public class Evaluation
    {
        [Trace]
        public double Run(int questions)
        {
            var correct = 0;
            for (var q = 0; q < questions; q++)
            {
                if (Ask("What is " + q + " + " + q + "?") == (q + q).ToString())
                {
                    correct++;
                }
            }

            return (double)correct / questions;
        }

        [Trace]
        public string Ask(string question)
        {
            Thread.Sleep(1);
            var plus = question.IndexOf('+');
            return (int.Parse(question.Substring(8, plus - 9)) * 2).ToString();
        }
    }
}
