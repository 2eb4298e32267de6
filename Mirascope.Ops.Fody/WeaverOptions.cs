using System;
using System.Linq;
using System.Xml.Linq;
using Fody;

namespace Mirascope.Ops.Fody
{
    /// <summary>The options of the <c>&lt;Mirascope.Ops /&gt;</c> element of FodyWeavers.xml, validated.</summary>
    internal sealed class WeaverOptions
    {
        private static readonly string[] KnownAttributes = Array.Empty<string>();

        public static WeaverOptions Read(XElement config)
        {
            foreach (var attribute in config.Attributes())
            {
                if (!KnownAttributes.Contains(attribute.Name.LocalName))
                {
                    throw new WeavingException(
                        $"{DiagnosticCodes.InvalidOption}: FodyWeavers.xml: <Mirascope.Ops> has no option '{attribute.Name.LocalName}'. " +
                        "See the README's FodyWeavers.xml section for the options.");
                }
            }

            return new WeaverOptions();
        }
    }
}
