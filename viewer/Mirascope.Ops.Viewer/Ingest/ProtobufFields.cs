using System.Collections.Generic;
using Google.Protobuf;

namespace Mirascope.Ops.Viewer.Ingest
{
    /// <summary>
    /// The length-delimited fields of one protobuf message, each still as bytes. Lets ingest parse an
    /// <c>ExportTraceServiceRequest</c> one span at a time, so that a span the generated parser refuses (a string that is
    /// not UTF-8, nesting past the recursion limit) is rejected alone instead of failing every span of the request.
    /// </summary>
    internal static class ProtobufFields
    {
        /// <summary>Every length-delimited field of <paramref name="message"/> in wire order; other wire types are skipped.</summary>
        /// <exception cref="InvalidProtocolBufferException">The bytes are not a protobuf message.</exception>
        public static List<(int Number, ByteString Bytes)> LengthDelimited(ByteString message)
        {
            var fields = new List<(int, ByteString)>();
            var input = message.CreateCodedInput();
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                if (WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                {
                    fields.Add((WireFormat.GetTagFieldNumber(tag), input.ReadBytes()));
                }
                else
                {
                    input.SkipLastField();
                }
            }

            return fields;
        }

        /// <summary>What the parser's complaint means for the sender (the nesting one suggests a client-side setting that does not apply here).</summary>
        public static string Problem(InvalidProtocolBufferException exception) =>
            exception.Message.StartsWith("Protocol message had too many levels of nesting", System.StringComparison.Ordinal)
                ? "nests deeper than the 100 levels protobuf parsing allows"
                : exception.Message.TrimEnd('.');
    }
}
