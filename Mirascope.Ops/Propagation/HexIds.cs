using System;
using System.Diagnostics;

namespace Mirascope.Ops.Propagation
{
    /// <summary>Parsing of hex trace and span ids as the header formats write them. Never throws.</summary>
    internal static class HexIds
    {
        public static bool IsLowerHex(string text, int start, int length)
        {
            for (var i = start; i < start + length; i++)
            {
                var c = text[i];
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
                {
                    return false;
                }
            }

            return true;
        }

        public static bool IsHex(string text, int start, int length)
        {
            for (var i = start; i < start + length; i++)
            {
                var c = text[i];
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
                {
                    return false;
                }
            }

            return true;
        }

        public static bool IsAllZeros(string text, int start, int length)
        {
            for (var i = start; i < start + length; i++)
            {
                if (text[i] != '0')
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Parses a lowercase hex trace id of 1 to 32 digits, left-padded with zeros; all zeros is invalid.</summary>
        public static bool TryTraceId(string hex, out ActivityTraceId id)
        {
            id = default;
            if (hex.Length == 0 || hex.Length > 32 || !IsLowerHex(hex, 0, hex.Length) || IsAllZeros(hex, 0, hex.Length))
            {
                return false;
            }

            id = ActivityTraceId.CreateFromString((hex.Length == 32 ? hex : hex.PadLeft(32, '0')).AsSpan());
            return true;
        }

        /// <summary>Parses a lowercase hex span id of 1 to 16 digits, left-padded with zeros; all zeros is invalid.</summary>
        public static bool TrySpanId(string hex, out ActivitySpanId id)
        {
            id = default;
            if (hex.Length == 0 || hex.Length > 16 || !IsLowerHex(hex, 0, hex.Length) || IsAllZeros(hex, 0, hex.Length))
            {
                return false;
            }

            id = ActivitySpanId.CreateFromString((hex.Length == 16 ? hex : hex.PadLeft(16, '0')).AsSpan());
            return true;
        }

        public static int HexValue(char c) =>
            c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }
}
