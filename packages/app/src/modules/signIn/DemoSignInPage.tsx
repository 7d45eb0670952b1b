import { Suspense, useState } from 'react';
import {
  Content,
  ContentHeader,
  Header,
  InfoCard,
  Page,
  Progress,
  ProxiedSignInPage,
  WarningPanel,
} from '@backstage/core-components';
import {
  configApiRef,
  SignInPageProps,
  useApi,
} from '@backstage/core-plugin-api';
import { Button, Grid, Typography } from '@material-ui/core';
import {
  DEMO_PERSONA_HEADER,
  DemoPersona,
  forgetPersonaOnSignOut,
  readPersonas,
  storedPersona,
  storePersona,
} from './personas';

function PersonaPicker(props: {
  personas: DemoPersona[];
  error?: Error;
  onPick(userEntityRef: string): void;
}) {
  const configApi = useApi(configApiRef);
  const { personas, error, onPick } = props;
  return (
    <Page themeId="home">
      <Header title={configApi.getOptionalString('app.title') ?? 'Backstage'} />
      <Content>
        <ContentHeader title="Sign in as a demo persona" />
        <Typography paragraph>
          For development only: each person below is a user of the demo
          organisation (examples/org.yaml). What they see and may do follows
          from their groups.
        </Typography>
        {error && (
          <WarningPanel
            severity="error"
            title="Could not sign in"
            defaultExpanded
          >
            {/* a ResponseError's cause is the backend's own message */}
            {(error as { cause?: Error }).cause?.message ?? error.message}
          </WarningPanel>
        )}
        {personas.length === 0 && (
          <WarningPanel title="No demo personas" defaultExpanded>
            Add users under demo.personas in app-config.yaml.
          </WarningPanel>
        )}
        <Grid container component="ul" style={{ padding: 0 }}>
          {personas.map(persona => (
            <Grid
              item
              component="li"
              key={persona.userEntityRef}
              xs={12}
              sm={6}
              md={4}
              lg={3}
              style={{ listStyle: 'none' }}
            >
              <InfoCard
                variant="fullHeight"
                title={persona.title}
                subheader={persona.userEntityRef}
                actions={
                  <Button
                    color="primary"
                    variant="outlined"
                    aria-label={`Sign in as ${persona.title}`}
                    onClick={() => onPick(persona.userEntityRef)}
                  >
                    Sign in
                  </Button>
                }
              >
                <Typography variant="body1">{persona.description}</Typography>
              </InfoCard>
            </Grid>
          ))}
        </Grid>
      </Content>
    </Page>
  );
}

/**
 * The demo portal's sign-in page: pick one of `demo.personas`, then sign in through the
 * backend's `demo` provider as that user. The choice is remembered until sign-out.
 */
export function DemoSignInPage(props: SignInPageProps) {
  const personas = readPersonas(useApi(configApiRef));
  // each pick is a new attempt, so picking the same persona after an error tries again
  const [attempt, setAttempt] = useState(() => ({
    persona: storedPersona(),
    count: 0,
  }));
  const pick = (persona: string) => {
    storePersona(persona);
    setAttempt(previous => ({ persona, count: previous.count + 1 }));
  };

  if (!attempt.persona) {
    return <PersonaPicker personas={personas} onPick={pick} />;
  }
  return (
    // the proxied page loads its translations lazily
    <Suspense fallback={<Progress />}>
      <ProxiedSignInPage
        key={attempt.count}
        provider="demo"
        headers={{ [DEMO_PERSONA_HEADER]: attempt.persona }}
        onSignInSuccess={identity =>
          props.onSignInSuccess(forgetPersonaOnSignOut(identity))
        }
        ErrorComponent={({ error }) => (
          // back to the picker, saying why (e.g. the persona left the config)
          <PersonaPicker personas={personas} error={error} onPick={pick} />
        )}
      />
    </Suspense>
  );
}
