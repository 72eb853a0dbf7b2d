/** GraphQL documents for services (project-level identity, docs/railway-api.md §3) and their domains (§7). */

export const ServiceGet = /* GraphQL */ `
  query ServiceGet($id: String!) {
    service(id: $id) {
      id
      name
      projectId
      icon
    }
  }
`;

/** Lists a project's services: finds a service whose create may already have happened. */
export const ProjectServices = /* GraphQL */ `
  query ProjectServices($id: String!) {
    project(id: $id) {
      id
      services {
        edges {
          node {
            id
            name
            projectId
            icon
          }
        }
      }
    }
  }
`;

export const ServiceCreate = /* GraphQL */ `
  mutation ServiceCreate($input: ServiceCreateInput!) {
    serviceCreate(input: $input) {
      id
      name
      projectId
      icon
    }
  }
`;

export const ServiceUpdate = /* GraphQL */ `
  mutation ServiceUpdate($id: String!, $input: ServiceUpdateInput!) {
    serviceUpdate(id: $id, input: $input) {
      id
      name
      projectId
      icon
    }
  }
`;

export const ServiceDelete = /* GraphQL */ `
  mutation ServiceDelete($id: String!, $environmentId: String) {
    serviceDelete(id: $id, environmentId: $environmentId)
  }
`;

export const ServiceDomainsGet = /* GraphQL */ `
  query ServiceDomainsGet($environmentId: String!, $projectId: String!, $serviceId: String!) {
    domains(environmentId: $environmentId, projectId: $projectId, serviceId: $serviceId) {
      serviceDomains {
        id
        domain
        targetPort
      }
      customDomains {
        id
        domain
        targetPort
      }
    }
  }
`;

/**
 * A generated `*.up.railway.app` domain has no name until Railway picks one, so it cannot be
 * expressed as an EnvironmentConfig patch key; it is created with this dedicated mutation.
 */
export const ServiceDomainCreate = /* GraphQL */ `
  mutation ServiceDomainCreate($input: ServiceDomainCreateInput!) {
    serviceDomainCreate(input: $input) {
      id
      domain
      targetPort
    }
  }
`;

export const ServiceDomainUpdate = /* GraphQL */ `
  mutation ServiceDomainUpdate($input: ServiceDomainUpdateInput!) {
    serviceDomainUpdate(input: $input)
  }
`;

export const ServiceDomainDelete = /* GraphQL */ `
  mutation ServiceDomainDelete($id: String!) {
    serviceDomainDelete(id: $id)
  }
`;

/**
 * What a custom domain needs at the user's DNS provider: the routing record (a CNAME to Railway)
 * and the ownership-verification TXT record.
 */
export const CustomDomainDnsGet = /* GraphQL */ `
  query CustomDomainDnsGet($environmentId: String!, $projectId: String!, $serviceId: String!) {
    domains(environmentId: $environmentId, projectId: $projectId, serviceId: $serviceId) {
      customDomains {
        id
        domain
        status {
          verificationDnsHost
          verificationToken
          dnsRecords {
            fqdn
            recordType
            requiredValue
          }
        }
      }
    }
  }
`;

export const TcpProxiesGet = /* GraphQL */ `
  query TcpProxiesGet($environmentId: String!, $serviceId: String!) {
    tcpProxies(environmentId: $environmentId, serviceId: $serviceId) {
      id
      domain
      proxyPort
      applicationPort
    }
  }
`;
