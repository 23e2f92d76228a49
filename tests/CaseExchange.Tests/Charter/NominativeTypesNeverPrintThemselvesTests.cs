using System.Reflection;
using System.Runtime.CompilerServices;
using CaseExchange.Journal;
using CaseExchange.Situations.Referral;

namespace CaseExchange.Tests.Charter;

/// <summary>
/// A record's compiler-generated ToString prints every property: one log call or exception message with such a
/// record would print names and facts. Every type that can hold nominative data in clear must print a placeholder.
/// </summary>
public sealed class NominativeTypesNeverPrintThemselvesTests
{
    private static readonly Assembly Service = typeof(PersonIdentity).Assembly;

    /// <summary>Types that hold nominative data in clear: named or marked so, or holding such a value or a nominative free text.</summary>
    public static TheoryData<Type> NominativeTypes()
    {
        var types = Service.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && !t.IsDefined(typeof(CompilerGeneratedAttribute)))
            .Where(t => t.Name.EndsWith("InClear", StringComparison.Ordinal)
                        || t.IsDefined(typeof(ReturnsNominativeDataAttribute))
                        || t.GetProperties().Any(p => p.Name.EndsWith("InClear", StringComparison.Ordinal) || p.PropertyType == typeof(PersonIdentity)))
            .OrderBy(t => t.FullName)
            .ToList();
        Assert.Contains(typeof(PersonIdentity), types.Append(typeof(PersonIdentity)));
        return [.. types];
    }

    [Theory]
    [MemberData(nameof(NominativeTypes))]
    public void Its_ToString_is_a_placeholder(Type type)
    {
        var toString = type.GetMethod(nameof(ToString), BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes)!;
        Assert.True(toString.DeclaringType == type && !toString.IsDefined(typeof(CompilerGeneratedAttribute)),
            $"{type.FullName} can hold nominative data in clear: override ToString() with a placeholder such as \"[…nominatif]\".");
    }

    [Fact]
    public void The_detection_finds_the_known_nominative_types()
    {
        var found = NominativeTypes().Select(row => row.Data).ToList();
        Assert.Contains(typeof(PersonInClear), found);
        Assert.Contains(typeof(ReferSituation), found);
        Assert.Contains(typeof(CaseExchange.Situations.Viewing.NominativeSituationFile), found);
    }
}
