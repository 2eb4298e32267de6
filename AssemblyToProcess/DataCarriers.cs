using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Mirascope.Ops;

namespace AssemblyToProcess
{
    /// <summary>A tree whose content lives in a private BCL collection, with link properties (a DOM or syntax tree).</summary>
    public class TreeNode
    {
        private readonly List<TreeNode> _children = new List<TreeNode>();
        private readonly string[] m_labels;

        public TreeNode(string name, params string[] labels)
        {
            Name = name;
            m_labels = labels;
        }

        public string Name { get; }

        public TreeNode? Parent { get; private set; }

        public TreeNode Add(TreeNode child)
        {
            child.Parent = this;
            _children.Add(child);
            return this;
        }

        public int Count => _children.Count;
    }

    /// <summary>Methods whose parameters carry data in less obvious places.</summary>
    public class DataCarriers
    {
        /// <summary>A text reader's shape: the buffer, and where in it the text is.</summary>
        [Trace]
        public int Consume(char[] buffer, int index, int count) => new string(buffer, index, count).Trim().Length;

        [Trace]
        public async Task<string> FetchAsync(string url, CancellationToken cancellationToken)
        {
            await Task.Yield();
            return url.ToUpperInvariant();
        }

        [Trace]
        public int Size(TreeNode root) => root.Count;
    }
}
