using System;
using System.Linq;
using System.Reflection;

namespace Mirascope.Ops.Tracing
{
    /// <summary>Why the recorder's reflection over recorded values' runtime types is safe to trim, and how it copes with native AOT.</summary>
    internal static class RecordingReflection
    {
        /// <summary>
        /// The recorder reads the members of a recorded value's runtime type, which no annotation can name in advance.
        /// In a trimmed or native AOT app a member the trimmer removed is not recorded: the value records fewer members,
        /// or its placeholder. Nothing fails, and no member's code runs either way. The weaver roots the members of the
        /// types woven signatures name (see the weaver's RecordedTypeRoots), and <see cref="ValueClassifier"/> roots the BCL
        /// types it reads by name, so in practice only values of types no woven signature reaches are affected.
        /// </summary>
        public const string Justification = "Members trimmed away are simply not recorded; no member's code runs either way.";

        // Native AOT keeps no metadata tokens: MemberInfo.MetadataToken throws InvalidOperationException there, for
        // every member. Found once, then never tried again (an exception per recorded type would be the cost).
        private static volatile bool _noMetadataTokens;

        /// <summary>
        /// <paramref name="members"/> in declaration order. Reflection promises no order, so the metadata tokens
        /// decide where there are any (JIT). Native AOT has none, and its reflection lists a type's members in their
        /// metadata order, which is the declaration order: that order is kept as it is. Before this, the token sort
        /// threw under native AOT and every user type was recorded as its placeholder.
        /// </summary>
        public static T[] InDeclarationOrder<T>(T[] members)
            where T : MemberInfo
        {
            if (members.Length < 2 || _noMetadataTokens)
            {
                return members;
            }

            try
            {
                return members.OrderBy(m => m.MetadataToken).ToArray();
            }
            catch (InvalidOperationException)
            {
                _noMetadataTokens = true;
                return members;
            }
        }

        /// <summary>
        /// Whether <paramref name="member"/> carries the attribute named <paramref name="fullName"/>, read from its
        /// metadata by name: no attribute is constructed (its constructor is code), and the attribute's assembly need not be loaded.
        /// </summary>
        public static bool HasAttribute(MemberInfo member, string fullName)
        {
            foreach (var attribute in member.CustomAttributes)
            {
                if (attribute.AttributeType.FullName == fullName)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
