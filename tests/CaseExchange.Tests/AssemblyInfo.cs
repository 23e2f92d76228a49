using CaseExchange.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(TestPostgresLifetime))]
