import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApolloProvider } from '@apollo/client/react';
import { BrowserRouter } from 'react-router-dom';
import './app/styles.css';
import { App } from './app/App';
import { createApolloClient } from './app/apolloClient';
import { DagLayoutContext } from './dag/DagLayoutContext';
import { layoutInWorker } from './dag/layoutInWorker';

const session = createApolloClient();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApolloProvider client={session.client}>
      <DagLayoutContext.Provider value={layoutInWorker}>
        <BrowserRouter>
          <App session={session} />
        </BrowserRouter>
      </DagLayoutContext.Provider>
    </ApolloProvider>
  </StrictMode>,
);
