import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider, connectApi } from './api';
import { App } from './App';
import './monaco';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <ApiProvider api={connectApi()}>
      <App />
    </ApiProvider>
  </StrictMode>,
);
