import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider, connectApi } from './api';
import { App } from './App';
import { CommandsProvider } from './commands/registry';
import { Notices } from './notices/Notices';
import { ThemeProvider } from './theme/ThemeProvider';
import './monaco';
import './theme/theme.css';
import './theme/base.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <ApiProvider api={connectApi()}>
      <ThemeProvider>
        <CommandsProvider>
          <App />
          <Notices />
        </CommandsProvider>
      </ThemeProvider>
    </ApiProvider>
  </StrictMode>,
);
