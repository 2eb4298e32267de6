using System.Text;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// A traced method's parameter names as JSON property names with their colons (<c>"text":</c>), escaped once when
    /// the method's descriptor is built rather than on every recorded call.
    /// </summary>
    internal sealed class RecordedNames
    {
        private RecordedNames(string[] json, int[] bytes)
        {
            Json = json;
            Bytes = bytes;
        }

        /// <summary>Each name's JSON text.</summary>
        public string[] Json { get; }

        /// <summary>Each name's size in UTF-8.</summary>
        public int[] Bytes { get; }

        public int Count => Json.Length;

        public static RecordedNames Of(string[] names)
        {
            var json = new string[names.Length];
            var bytes = new int[names.Length];
            var builder = new CappedJsonBuilder(int.MaxValue);
            for (var i = 0; i < names.Length; i++)
            {
                builder.Reset(int.MaxValue);
                builder.AppendString(names[i]);
                builder.Colon();
                json[i] = builder.ToString();
                bytes[i] = Encoding.UTF8.GetByteCount(json[i]);
            }

            return new RecordedNames(json, bytes);
        }
    }
}
