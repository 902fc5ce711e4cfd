namespace Visibility.Engine.Inspection.Parsing;

/// <summary>The set algebra a header specification (addresses or ports) compiles to.</summary>
internal interface ISpecSet<TSelf>
    where TSelf : class, ISpecSet<TSelf>
{
    static abstract TSelf AnySet { get; }

    static abstract TSelf EmptySet { get; }

    /// <summary>What the leaf syntax looks like, for "expected ..." messages.</summary>
    static abstract string LeafDescription { get; }

    /// <summary>Parses one leaf (an address, CIDR, range or port) or throws <see cref="RuleSyntaxException"/>.</summary>
    static abstract TSelf ParseLeaf(string text, int offset);

    bool IsEmptySet { get; }

    TSelf UnionWith(TSelf other);

    TSelf Without(TSelf other);

    TSelf Inverted();
}
