namespace CaseExchange.Journal;

/// <summary>
/// Marks a response type that carries nominative data in clear (or an endpoint method whose response does, e.g. a
/// file export). Every endpoint returning one must append an entry to the access journal before answering: a test
/// enumerates the endpoints and fails on any that does not.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = false)]
public sealed class ReturnsNominativeDataAttribute : Attribute;
